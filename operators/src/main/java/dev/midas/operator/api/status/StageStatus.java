package dev.midas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One stage of an experiment: its Job and attempts (phase: Pending, Queued, Running, Stopping,
 * BackingOff, Suspended, Succeeded, Failed or Shared) and the manifests it committed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StageStatus extends AttemptStatus {
  /** 1-based stage index. */
  public Integer stage;

  /** Layers trained in this stage ({@code stage * blockSize}). */
  public Integer layers;

  /** Optimizer steps of this stage. */
  public Long steps;

  /** Manifest the stage started from: the previous stage's grown checkpoint (empty for stage 1). */
  public String initManifest;

  /** Checkpoint the latest attempt resumed from, if it was a retry or a resume after suspend. */
  public String resumeManifest;

  public String finalManifest;

  /**
   * This stage's final checkpoint grown by one block: the next stage's init. Empty for the last.
   */
  public String grownManifest;

  /** Growth operator used at the end of this stage (chosen by LAG when LAG is on). */
  public String growthOperator;

  public Double trainLoss;
  public Double valLoss;
}
