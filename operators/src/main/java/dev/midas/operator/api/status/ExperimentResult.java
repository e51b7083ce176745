package dev.midas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Final metrics of a Succeeded experiment, aggregated by sweeps: the last stage's, and the
 * evaluation's headline numbers and report when the spec asks for an evaluation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExperimentResult {
  public Long globalStep;
  public Double trainLoss;
  public Double valLoss;
  public String finalManifest;

  /** Sum of stage Job durations. */
  public Double wallSeconds;

  /** The run's report ({@code runs/<experiment>/<uid>/report/report.md}). */
  public String report;

  /** Mean primitives accuracy over tasks at the final checkpoint, by protocol. */
  public java.util.Map<String, Double> meanAccuracy;
}
