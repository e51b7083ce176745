package dev.midas.cli.demo;

import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.layout.RunLayout;
import dev.midas.stacking.progress.Progress;
import dev.midas.stacking.runner.ExperimentRun;
import dev.midas.stacking.runner.LocalExperimentRunner;
import dev.midas.stacking.runner.StageException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trains and evaluates one method with the local runner: every stage and the evaluation after the
 * last a child process, checkpoints and the report through the object store. The run's uid comes
 * from its spec, so a second demo with the same spec finds the run finished and reported and does
 * nothing. The runner's output goes to a log file; its "stage i/k" and "evaluate:" lines move the
 * progress bar (k stages, then the evaluation).
 */
final class TrainingStep {
  private static final Pattern STAGE = Pattern.compile("^stage (\\d+)/(\\d+)");
  private static final Pattern EVALUATE = Pattern.compile("^evaluate: \\d+/\\d+ (.*)");

  private TrainingStep() {}

  /**
   * @param threads PyTorch intra-op threads of each stage process; 0 for the stage runner's default
   *     (all cores)
   */
  static RunLayout run(
      Path specFile, String experiment, String root, int threads, Path log, Progress progress)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("--spec", specFile.toString(), "--root", root));
    args.addAll(List.of("--name", experiment));
    if (threads > 0) {
      args.addAll(List.of("--threads", Integer.toString(threads)));
    }
    // Stage processes write their stderr to this terminal; they log as this process does (the
    // simplelogger.properties of the cli, on their class path too).
    Files.createDirectories(log.getParent());
    ExperimentRun run;
    try (OutputStream file = Files.newOutputStream(log);
        PrintStream out =
            new PrintStream(
                new LineTap(file, line -> onLine(line, progress)), true, StandardCharsets.UTF_8)) {
      run = LocalExperimentRunner.run(args.toArray(String[]::new), out);
    }
    if (run.exitCode() != 0 || run.layout() == null) {
      throw new StageException(
          ExitClass.of(run.exitCode()),
          "training "
              + experiment
              + " failed (exit "
              + run.exitCode()
              + "): "
              + run.message()
              + "; the stage log is "
              + log);
    }
    return run.layout();
  }

  private static void onLine(String line, Progress progress) {
    Matcher m = STAGE.matcher(line);
    if (m.find()) {
      progress.maxHint(Long.parseLong(m.group(2)) + 1);
      progress.stepTo(Long.parseLong(m.group(1)) - 1);
      progress.message("stage " + m.group(1) + "/" + m.group(2));
      return;
    }
    Matcher e = EVALUATE.matcher(line);
    if (e.find()) {
      progress.message("evaluate: " + e.group(1));
    }
  }

  /** Copies bytes to a file and hands every complete line to a listener. */
  private static final class LineTap extends OutputStream {
    private final OutputStream file;
    private final java.util.function.Consumer<String> listener;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    LineTap(OutputStream file, java.util.function.Consumer<String> listener) {
      this.file = file;
      this.listener = listener;
    }

    @Override
    public void write(int b) throws IOException {
      file.write(b);
      if (b == '\n') {
        listener.accept(line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    }

    @Override
    public void flush() throws IOException {
      file.flush();
    }
  }
}
