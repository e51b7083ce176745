package dev.midas.stacking.runner;

import java.util.Arrays;

/**
 * The stage image's entry point: {@code evaluate ...} runs a run's evaluation ({@link
 * EvaluationRunner}), {@code sweep-report ...} a sweep's comparison report ({@link
 * SweepReportRunner}), and anything else is a stage ({@link StageRunner}), so one image serves
 * every Job the operator creates.
 */
public final class PodMain {
  private PodMain() {}

  public static void main(String[] args) {
    String first = args.length == 0 ? "" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (first) {
      case "evaluate" -> EvaluationRunner.main(rest);
      case "sweep-report" -> SweepReportRunner.main(rest);
      case "stage" -> StageRunner.main(rest);
      default -> StageRunner.main(args);
    }
  }
}
