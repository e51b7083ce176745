package dev.midas.stacking.runner;

import dev.midas.plan.spec.Precision;
import dev.midas.plan.spec.SpecLoader;
import dev.midas.plan.spec.SpecValidator;
import dev.midas.proto.StageResult;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.stacking.train.Trainer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * A stage process started before its stage is known (a warm spare): {@code StageRunner --spare
 * [--threads N] [--precision P]} starts the JVM, loads and initialises what every stage uses (the
 * argument parser, the spec reader and validator, the result's JSON form, the engine with its
 * compiled script functions) and then waits for its stage's arguments on stdin, so that a local
 * runner can pay a stage's start-up while the previous stage trains, as cluster schedulers keep
 * warm executors. Given its arguments it is an ordinary stage process: the same {@link
 * StageRunner}, the same exit codes, the same result line. Stdin closing without arguments (the run
 * ended, or the runner died) ends it quietly with exit code 0, having written nothing.
 *
 * <p>The arguments come as one line with their count, then one line each. A spare whose engine
 * loaded with another TF32 setting than its stage needs (libtorch reads it once, at load) declines
 * before it writes anything: it exits {@link #DECLINED} without a result line, and the runner
 * starts that stage cold.
 */
final class SpareStage {
  /** The first argument that makes a stage process a spare. */
  static final String FLAG = "--spare";

  /** Exit code of a spare that cannot run the stage it was given (outside the exit-class table). */
  static final int DECLINED = 75;

  /** A spec as small as a spec can be: reading it initialises the spec reader and validator. */
  private static final String WARM_UP_SPEC =
      """
      model: {vocabSize: 64, dModel: 16, heads: 2, targetLayers: 2, seqLen: 8}
      growth: {operator: midas, blockSize: 1}
      schedule: {type: explicit, stageSteps: [1, 1], batchSize: 1}
      """;

  private SpareStage() {}

  /** The spare's own options; its stage's come later, on stdin. */
  @CommandLine.Command(name = "stage --spare")
  static final class Options {
    @CommandLine.Option(names = FLAG, required = true)
    boolean spare;

    @CommandLine.Option(names = "--threads")
    int threads = PyTorchRuntime.defaultThreads();

    @CommandLine.Option(names = "--precision")
    String precision;
  }

  /** Raised by a spare's stage before anything is written, when the loaded engine cannot run it. */
  static final class Declined extends RuntimeException {
    Declined(String message) {
      super(message);
    }
  }

  static boolean is(String[] args) {
    return args.length > 0 && FLAG.equals(args[0]);
  }

  /** The arguments a runner passes to a spare: what it prepares for. */
  static List<String> arguments(int threads, Optional<Precision> precision) {
    List<String> a = new ArrayList<>(List.of(FLAG, "--threads", Integer.toString(threads)));
    precision.ifPresent(p -> a.addAll(List.of("--precision", p.word())));
    return a;
  }

  /**
   * Prepares this process for a stage, then waits for the stage's arguments on {@code in}; empty
   * when {@code in} closed first.
   */
  static Optional<String[]> await(String[] spareArgs, InputStream in) throws IOException {
    Options o = new Options();
    new CommandLine(o).parseArgs(spareArgs);
    prepare(o.threads, Optional.ofNullable(o.precision).map(Precision::parse));
    return read(in);
  }

  /** What every stage does first, done ahead of it. */
  static void prepare(int threads, Optional<Precision> precision) throws IOException {
    new CommandLine(new StageRunner()); // the stage's options, read by reflection
    SpecValidator.resolve("spare", SpecLoader.parse(WARM_UP_SPEC, "spare").spec());
    StageOutputs.parse(StageOutputs.json(StageResult.newBuilder().setStage(1).build()));
    precision.ifPresent(PyTorchRuntime::applyPrecision); // before the engine loads, as a stage
    Trainer.prepare(threads, precision.orElse(Precision.FP32));
  }

  /** One line with the count, then one argument a line; empty at the end of input. */
  static Optional<String[]> read(InputStream in) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String count = lines.readLine();
    if (count == null) {
      return Optional.empty();
    }
    int n = Integer.parseInt(count.trim());
    String[] args = new String[n];
    for (int i = 0; i < n; i++) {
      args[i] = lines.readLine();
      if (args[i] == null) {
        return Optional.empty(); // the runner died while sending
      }
    }
    return Optional.of(args);
  }

  /** The form {@link #read} reads; empty when an argument cannot be sent on one line. */
  static Optional<String> message(List<String> args) {
    StringBuilder b = new StringBuilder().append(args.size()).append('\n');
    for (String a : args) {
      if (a.indexOf('\n') >= 0 || a.indexOf('\r') >= 0) {
        return Optional.empty();
      }
      b.append(a).append('\n');
    }
    return Optional.of(b.toString());
  }
}
