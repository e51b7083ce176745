package dev.midas.stacking.runner;

import dev.midas.plan.layout.RunLayout;
import dev.midas.run.RunReader;
import java.util.List;

/**
 * The end of a local experiment: its exit code, a message, and every stage and evaluation process
 * launched.
 */
public record ExperimentRun(
    int exitCode,
    String message,
    RunLayout layout,
    List<StageProcess.Outcome> stages,
    List<StageProcess.EvaluationOutcome> evaluations) {

  public ExperimentRun {
    stages = List.copyOf(stages);
    evaluations = List.copyOf(evaluations);
  }

  ExperimentRun(int exitCode, String message, RunLayout layout, List<StageProcess.Outcome> stages) {
    this(exitCode, message, layout, stages, List.of());
  }

  /** Seconds of every stage process, start to exit. */
  public double processSeconds() {
    return stages.stream().mapToDouble(StageProcess.Outcome::processSeconds).sum();
  }

  /**
   * Seconds the stage processes spent in their training loops, by the rule the report uses ({@link
   * RunReader#loopSeconds}: each stage's steps at its loop's measured rate); {@link
   * #processSeconds()} less this is start-up, loading, validation, checkpoints and growth.
   */
  public double trainingSeconds(long tokensPerStep) {
    return stages.stream()
        .flatMap(o -> o.result().stream())
        .mapToDouble(r -> RunReader.loopSeconds(r, tokensPerStep))
        .sum();
  }

  static ExperimentRun failed(int code, String message) {
    return new ExperimentRun(code, message, null, List.of());
  }
}
