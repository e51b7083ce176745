package dev.midas.stacking.runner;

import dev.midas.plan.layout.RunLayout;
import java.util.List;

/** The end of a local experiment: its exit code, a message, and every stage process launched. */
public record ExperimentRun(
    int exitCode, String message, RunLayout layout, List<StageProcess.Outcome> stages) {

  public ExperimentRun {
    stages = List.copyOf(stages);
  }

  static ExperimentRun failed(int code, String message) {
    return new ExperimentRun(code, message, null, List.of());
  }
}
