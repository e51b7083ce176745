package dev.midas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator knows about one experiment. Written only by {@code StatusRecorder}; {@link
 * #phase} and the printer-column fields ({@link #stage}, {@link #step}, {@link #trainLoss}) are
 * derived from the rest each time, never set independently.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExperimentStatus {
  /** Pending, Running, Evaluating, Suspended, Succeeded or Failed (see {@code ExperimentPhase}). */
  public String phase;

  /** Printer column: current stage over the number of stages, e.g. {@code 2/3}. */
  public String stage;

  /** Printer column: global step of the latest heartbeat or committed checkpoint. */
  public Long step;

  /** Printer column: latest training loss. */
  public Double trainLoss;

  public Integer currentStage;
  public Integer numStages;

  /** Object-store prefix of this run: {@code <root>/runs/<experiment>/<uid>}. */
  public String runUri;

  /** Latest heartbeat of the running stage. */
  public HeartbeatStatus heartbeat;

  public List<StageStatus> stages = new ArrayList<>();

  /**
   * The run's evaluations, in stage order: after the last stage when the spec has an evaluation
   * section, and after every stage with {@code evaluation.everyStage}.
   */
  public List<EvaluationStatus> evaluations;

  /** One entry per growth point decided by LAG. */
  public List<LagDecision> lag;

  /**
   * Conditions a script can wait on: Ready, Succeeded, Failed, Suspended, Stalled,
   * StorageUnavailable, InvalidSpec; one per type (a list-map keyed by type).
   */
  public List<Condition> conditions = new ArrayList<>();

  /** Printer column REASON: the Ready condition's reason. */
  public String reason;

  /** Printer column MESSAGE: the Ready condition's message. */
  public String message;

  public Long observedGeneration;

  /**
   * SHA-256 of the spec the run was frozen with ({@code runs/<experiment>/<uid>/spec}), so an
   * unchanged spec needs no store read.
   */
  public String specHash;

  /** The spec's restartNonce last acted upon: a new value restarts a Failed experiment. */
  public String observedRestartNonce;

  /** Final metrics, once Succeeded. */
  public ExperimentResult result;
}
