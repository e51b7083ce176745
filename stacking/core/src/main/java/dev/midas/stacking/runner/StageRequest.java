package dev.midas.stacking.runner;

import dev.midas.plan.spec.ResolvedSpec;
import java.net.URI;
import java.util.Optional;

/**
 * One stage to run, as the stage pod contract gives it: the validated spec, the run's uid, the
 * 1-based stage, and either an init checkpoint (a grown manifest; none for stage 1's random init)
 * or a checkpoint to resume from. {@code lagSteps} makes the run a LAG probe: only that many steps.
 */
public record StageRequest(
    ResolvedSpec spec,
    URI root,
    String uid,
    int stage,
    Optional<URI> init,
    Optional<URI> resume,
    int threads,
    double heartbeatSeconds,
    Optional<Long> lagSteps) {}
