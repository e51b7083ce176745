package dev.midas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Final metrics of a Succeeded experiment, aggregated by sweeps. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExperimentResult {
  public Long globalStep;
  public Double trainLoss;
  public Double valLoss;
  public String finalManifest;

  /** Sum of stage Job durations. */
  public Double wallSeconds;
}
