package dev.midas.plan.spec;

import java.util.Optional;

/**
 * A spec as loaded from a file, before validation: the spec itself plus, when the file was a whole
 * {@code StackingExperiment} resource, its {@code metadata.name} and {@code metadata.uid}.
 */
public record SpecDocument(Optional<String> name, Optional<String> uid, ExperimentSpec spec) {}
