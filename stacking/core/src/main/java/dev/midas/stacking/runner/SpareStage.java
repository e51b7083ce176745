package dev.midas.stacking.runner;

import dev.midas.plan.spec.Precision;
import dev.midas.plan.spec.SpecValidator;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.stacking.train.Trainer;
import dev.midas.store.StoreOptions;
import dev.midas.store.artifact.Sha256;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;

/**
 * A stage process started before its stage is known (a warm spare): {@code StageRunner --spare
 * [--threads N] [--precision P] [--spec S]} starts the JVM, loads the engine, runs a warm-up
 * experiment in itself (see {@link #prepare}), opens the data of the spec its run's stages train on
 * and then waits for its stage's arguments on stdin, so that a local runner can pay a stage's
 * start-up while the previous stage trains, as cluster schedulers keep warm executors. Given its
 * arguments it is an ordinary stage process: the same {@link StageRunner}, the same exit codes, the
 * same result line. Stdin closing without arguments (the run ended, or the runner died) ends it
 * quietly with exit code 0, having written nothing.
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

  /** The warm-up experiment: two stages of a few steps on synthetic tokens. */
  private static final String WARM_UP_SPEC =
      """
      model: {vocabSize: 64, dModel: 16, heads: 2, targetLayers: 2, seqLen: 8}
      growth: {operator: midas, blockSize: 1}
      schedule: {type: explicit, stageSteps: [2, 2], batchSize: 2, checkpointEvery: 1}
      evaluation: {valBatches: 1}
      """;

  /** Megabytes hashed so that the JIT compiles SHA-256 before the stage needs it. */
  private static final int WARM_UP_HASHED_MB = 8;

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

    @CommandLine.Option(names = "--spec")
    String spec;
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
  static List<String> arguments(int threads, Optional<Precision> precision, Optional<String> spec) {
    List<String> a = new ArrayList<>(List.of(FLAG, "--threads", Integer.toString(threads)));
    precision.ifPresent(p -> a.addAll(List.of("--precision", p.word())));
    spec.ifPresent(s -> a.addAll(List.of("--spec", s)));
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
    if (o.spec != null) {
      // The run's stages read the same windows: open them now (a stage of another spec opens its
      // own).
      StageData.openAhead(
          SpecValidator.resolve("spare", SpecSource.load(o.spec, StoreOptions.DEFAULTS).spec()));
    }
    return read(in);
  }

  /**
   * What every stage does first, done ahead of it: the engine loads (with the precision the runner
   * expects), and a two-stage warm-up experiment on synthetic tokens runs in this process in a
   * folder of its own, so the code a stage runs (reading and verifying a checkpoint, a training
   * step, validation, writing, growing and hashing checkpoints) is initialised and its hot loops
   * (SHA-256 above all) compiled by the JIT before the stage needs them.
   */
  static void prepare(int threads, Optional<Precision> precision) throws IOException {
    precision.ifPresent(PyTorchRuntime::applyPrecision); // before the engine loads, as a stage
    Trainer.prepare(threads, precision.orElse(Precision.FP32));
    Path work = Files.createTempDirectory("midas-spare-");
    try {
      Path spec = Files.writeString(work.resolve("warm-up.yaml"), WARM_UP_SPEC);
      List<String> common =
          List.of(
              "--spec", spec.toString(),
              "--root", work.resolve("store").toUri().toString(),
              "--uid", "warm-up",
              "--threads", Integer.toString(threads),
              "--termination-log", work.resolve("termination-log").toString());
      PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
      warmUpStage(common, quiet, "--stage", "1");
      warmUpStage(
          common,
          quiet,
          "--stage",
          "2",
          "--init",
          work.resolve("store/runs/warm-up/warm-up/stages/stage-01/grown/MANIFEST")
              .toUri()
              .toString());
      // Checkpoints of real size are hashed as they are read and written; a fresh JVM hashes its
      // first megabytes in the interpreter, 20 to 40 times slower than compiled.
      MessageDigest sha = Sha256.digest();
      byte[] block = new byte[1 << 20];
      for (int i = 0; i < WARM_UP_HASHED_MB; i++) {
        sha.update(block);
      }
      sha.digest();
    } finally {
      try (var files = Files.walk(work)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void warmUpStage(List<String> common, PrintStream out, String... more)
      throws IOException {
    List<String> args = new ArrayList<>(common);
    args.addAll(List.of(more));
    int code = StageRunner.run(args.toArray(String[]::new), out, new AtomicBoolean());
    if (code != 0) {
      throw new IOException("the spare's warm-up stage " + more[1] + " exited " + code);
    }
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
