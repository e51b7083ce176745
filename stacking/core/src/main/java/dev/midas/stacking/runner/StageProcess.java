package dev.midas.stacking.runner;

import dev.midas.plan.exit.ExitClass;
import dev.midas.proto.EvalResult;
import dev.midas.proto.StageResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs {@link StageRunner} (or {@link EvaluationRunner}) as a child JVM on this JVM's class path,
 * exactly as a pod would run it: logs go through to this process's stderr, stdout lines are echoed
 * except the JSON result line, which is parsed.
 */
final class StageProcess {
  private StageProcess() {}

  /** What a finished child gave back. */
  record Outcome(int exitCode, Optional<StageResult> result, double processSeconds) {
    ExitClass exitClass() {
      return result.map(r -> ExitClass.of(r.getExitClass())).orElse(ExitClass.of(exitCode));
    }
  }

  /** What a finished evaluation process gave back. */
  record EvaluationOutcome(int exitCode, Optional<EvalResult> result, double processSeconds) {
    ExitClass exitClass() {
      return result.map(r -> ExitClass.of(r.getExitClass())).orElse(ExitClass.of(exitCode));
    }
  }

  static Outcome run(List<String> jvmOptions, List<String> args, PrintStream out)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    return collect(start(jvmOptions, args), out, start);
  }

  /** Runs {@link EvaluationRunner} as a child JVM, as an evaluation pod would run. */
  static EvaluationOutcome evaluate(List<String> jvmOptions, List<String> args, PrintStream out)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process p = start(EvaluationRunner.class, jvmOptions, args);
    Optional<String> line = lines(p, out);
    int code = p.waitFor();
    return new EvaluationOutcome(
        code,
        line.isEmpty() ? Optional.empty() : Optional.of(StageOutputs.parseEval(line.get())),
        (System.nanoTime() - start) / 1e9);
  }

  /** Starts a stage process; stderr goes through to this process's stderr. */
  static Process start(List<String> jvmOptions, List<String> args) throws IOException {
    return start(StageRunner.class, jvmOptions, args);
  }

  private static Process start(Class<?> main, List<String> jvmOptions, List<String> args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dai.djl.offline=true");
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(args);
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** Reads a started stage process to its end: echoes stdout, parses the result line. */
  static Outcome collect(Process p, PrintStream out, long startNanos)
      throws IOException, InterruptedException {
    Optional<String> line = lines(p, out);
    Optional<StageResult> result =
        line.isEmpty() ? Optional.empty() : Optional.of(StageOutputs.parse(line.get()));
    int code = p.waitFor();
    return new Outcome(code, result, (System.nanoTime() - startNanos) / 1e9);
  }

  /** Whether a stage or evaluation process's stdout line is its JSON result line. */
  static boolean isResultLine(String line) {
    return line.startsWith("{") && line.contains("\"exitClass\"");
  }

  /** Echoes a child's stdout to {@code out} except its JSON result line, which it returns. */
  private static Optional<String> lines(Process p, PrintStream out) throws IOException {
    Optional<String> result = Optional.empty();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (isResultLine(line)) {
          result = Optional.of(line);
        } else {
          out.println(line);
        }
      }
    }
    return result;
  }
}
