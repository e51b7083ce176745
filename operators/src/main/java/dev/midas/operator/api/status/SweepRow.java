package dev.midas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One child of a sweep: its axis values and, once it is done, its final metrics. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SweepRow {
  public String experiment;
  public String operator;
  public Integer blockSize;
  public Double alpha;
  public Long seed;

  /** The child's phase; NotCreated while it waits for a maxParallel slot. */
  public String phase;

  /** Experiment whose first stages this child reuses, if any. */
  public String sharesStagesWith;

  public Integer sharedStages;
  public Long globalStep;
  public Double trainLoss;
  public Double valLoss;

  /** Mean primitives accuracy over tasks at the final checkpoint, by protocol (evaluated runs). */
  public java.util.Map<String, Double> meanAccuracy;

  /** The child's own report. */
  public String report;
}
