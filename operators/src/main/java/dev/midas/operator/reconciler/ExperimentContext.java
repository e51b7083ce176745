package dev.midas.operator.reconciler;

import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.ExperimentSpec;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.plan.stage.ObservedRun;
import dev.midas.run.RunReader;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Map;

/**
 * Everything observed for one reconcile of a valid experiment: its resolved spec, its run in the
 * object store, its Jobs by name, and the stages it takes over from a sweep sibling.
 *
 * @param frozen the spec stage pods run (the user's with the operator's storage defaults)
 * @param root object-store root of the run
 * @param run what the store holds for each stage of this run
 * @param store reads heartbeats, results and candidate runs
 * @param jobs this experiment's Jobs, by name
 * @param shared stages shared from a sibling
 */
public record ExperimentContext(
    ResolvedSpec spec,
    ExperimentSpec frozen,
    String root,
    RunLayout layout,
    ObservedRun run,
    RunReader store,
    Map<String, Job> jobs,
    SharedStages shared) {}
