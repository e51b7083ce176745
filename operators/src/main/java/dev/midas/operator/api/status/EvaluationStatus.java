package dev.midas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One evaluation of an experiment's run (the evaluation entry point, as a Job with the stage
 * image): the checkpoints of stages 1..stage measured and reported. Its attempts (phase: Pending,
 * Running, BackingOff, Suspended, Succeeded or Failed) are retried like a stage's; it never trains.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EvaluationStatus extends AttemptStatus {
  /** The evaluation covers the checkpoints of stages 1..stage; the run's report when the last. */
  public Integer stage;

  /** While Running: checkpoints measured of all, and what it is doing. */
  public String progress;

  /** The committed report's {@code report.md}. */
  public String report;

  /** Validation loss of the last checkpoint evaluated. */
  public Double valLoss;

  /** Mean primitives accuracy over tasks, by protocol (e.g. 5shot-loglik, finetune-exact). */
  public Map<String, Double> meanAccuracy;
}
