package dev.midas.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.midas.plan.spec.ExperimentSpec;

/** Spec of a {@link StackingSweep}. Nullable fields without defaults, like ExperimentSpec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SweepSpec {
  @JsonPropertyDescription("The experiment every child starts from; axes override its fields.")
  public ExperimentSpec template;

  @JsonPropertyDescription("Values to cross; every combination becomes one child experiment.")
  public SweepAxes axes;

  @JsonPropertyDescription("How many children may run at once (default 1).")
  public Integer maxParallel;

  @JsonPropertyDescription(
      "Train identical first stages once and let the other children start from them (default"
          + " true).")
  public Boolean shareStages;

  @JsonPropertyDescription(
      "Stop creating children once more than this many have failed (default: no limit).")
  public Integer maxFailed;
}
