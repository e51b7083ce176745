package dev.midas.bench.training;

import dev.midas.checkpoint.CheckpointStore;
import dev.midas.plan.flops.Speedup;
import dev.midas.plan.flops.StepFlops;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.plan.spec.SpecLoader;
import dev.midas.plan.spec.SpecValidator;
import dev.midas.run.RunReader;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.stacking.runner.ExperimentRun;
import dev.midas.stacking.runner.LocalExperimentRunner;
import dev.midas.store.FileObjectStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MIDAS's saving measured end to end: the same experiment run by the local runner (one child JVM
 * per stage, checkpoints through a {@code file://} store, validation at every stage end) as the
 * full-depth baseline and as MIDAS with k stages under Prop-1, for the same total steps and tokens,
 * alternating round by round. Prints the stage processes' wall clock (start to exit, summed) of
 * both, the measured speedup beside the theoretical FLOPs ratio (MIDAS.md section 3, {@link
 * Speedup}) and both final validation losses. It also splits each side's seconds into its training
 * loops (as the stages measured them) and the rest (stage JVM and engine start, checkpoint loading,
 * validation, checkpoints, growth): MIDAS pays the rest once per stage, the baseline once, and the
 * theoretical ratio counts training FLOPs only; {@code other_per_stage_s} is that rest per stage
 * process.
 *
 * <pre>
 * MidasSpeedupBench [--steps 1000] [--layers 8] [--block 2] [--dmodel 128] [--heads 4]
 *                   [--seq 128] [--batch 16] [--vocab 256] [--threads 2] [--rounds 1]
 *                   [--precision fp32|tf32|bf16-mixed] [--checkpoint-every steps/4]
 * </pre>
 */
public final class MidasSpeedupBench {
  private MidasSpeedupBench() {}

  /** One side's experiment. */
  record Setup(
      int layers,
      int block,
      int d,
      int heads,
      int seq,
      int batch,
      int vocab,
      int steps,
      int checkpointEvery,
      String precision) {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = new BenchArgs(args);
    int steps = a.integer("--steps", 1000);
    Setup setup =
        new Setup(
            a.integer("--layers", 8),
            a.integer("--block", 2),
            a.integer("--dmodel", 128),
            a.integer("--heads", 4),
            a.integer("--seq", 128),
            a.integer("--batch", 16),
            a.integer("--vocab", 256),
            steps,
            a.integer("--checkpoint-every", Math.max(1, steps / 4)),
            a.string("--precision", "fp32"));
    int threads = a.integer("--threads", PyTorchRuntime.defaultThreads());
    int rounds = a.integer("--rounds", 1);
    Path dir = Files.createTempDirectory("midas-speedup-bench");
    Path baseline = spec(dir, "baseline", setup);
    Path midas = spec(dir, "midas", setup);
    ResolvedSpec resolved = SpecValidator.resolve(SpecLoader.load(midas), "midas");
    double theoretical =
        Speedup.theoretical(
            resolved.schedule().stages(),
            resolved.depths(),
            StepFlops.transformer(
                setup.d(), 4 * setup.d(), setup.seq(), setup.vocab(), setup.batch()));
    double baseSeconds = 0;
    double midasSeconds = 0;
    double baseTraining = 0;
    double midasTraining = 0;
    double baseLoss = Double.NaN;
    double midasLoss = Double.NaN;
    for (int r = 0; r < rounds; r++) {
      Path root = dir.resolve("store-" + r);
      long tokensPerStep = (long) setup.batch() * setup.seq();
      double[] b = run(baseline, root, threads, tokensPerStep);
      double[] m = run(midas, root, threads, tokensPerStep);
      baseSeconds += b[0];
      midasSeconds += m[0];
      baseLoss = b[1];
      midasLoss = m[1];
      baseTraining += b[2];
      midasTraining += m[2];
    }
    double measured = baseSeconds / midasSeconds;
    int stages = resolved.numStages();
    System.out.printf(
        "RESULT midas_speedup steps=%d layers=%d block=%d stages=%d precision=%s baseline_s=%.1f"
            + " midas_s=%.1f measured=%.3f theoretical=%.3f measured_over_theoretical=%.3f"
            + " baseline_val_loss=%.4f midas_val_loss=%.4f baseline_other_s=%.1f"
            + " midas_other_s=%.1f other_per_stage_s=%.2f training_only=%.3f"
            + " training_only_over_theoretical=%.3f%n",
        steps,
        setup.layers(),
        setup.block(),
        stages,
        setup.precision(),
        baseSeconds / rounds,
        midasSeconds / rounds,
        measured,
        theoretical,
        measured / theoretical,
        baseLoss,
        midasLoss,
        (baseSeconds - baseTraining) / rounds,
        (midasSeconds - midasTraining) / rounds,
        ((baseSeconds - baseTraining) + (midasSeconds - midasTraining)) / rounds / (1 + stages),
        baseTraining / midasTraining,
        baseTraining / midasTraining / theoretical);
  }

  /** {stage processes' seconds, final validation loss, training-loop seconds} of one run. */
  private static double[] run(Path spec, Path root, int threads, long tokensPerStep)
      throws IOException {
    ExperimentRun run =
        LocalExperimentRunner.run(
            new String[] {
              "--spec",
              spec.toString(),
              "--root",
              root.toUri().toString(),
              "--threads",
              Integer.toString(threads)
            },
            System.out);
    if (run.exitCode() != 0) {
      throw new IllegalStateException(spec + " failed: " + run.message());
    }
    CheckpointStore ckpts = new CheckpointStore(new FileObjectStore(root));
    int last = SpecValidator.resolve(SpecLoader.load(spec), "x").numStages();
    URI fin =
        new RunReader(ckpts.objectStore())
            .latest(run.layout(), last)
            .orElseThrow(() -> new IllegalStateException("no final checkpoint of " + spec));
    return new double[] {
      run.processSeconds(), ckpts.manifest(fin).getValLoss(), run.trainingSeconds(tokensPerStep)
    };
  }

  private static Path spec(Path dir, String operator, Setup s) throws IOException {
    String yaml =
        String.format(
            """
            seed: 1
            precision: %s
            model: {vocabSize: %d, dModel: %d, heads: %d, targetLayers: %d, seqLen: %d}
            growth: {operator: %s, blockSize: %d}
            schedule:
              type: prop-alpha
              alpha: 1.0
              totalSteps: %d
              batchSize: %d
              checkpointEvery: %d
              lr: {peak: 0.002, warmupSteps: %d}
            evaluation: {valBatches: 8}
            """,
            s.precision(),
            s.vocab(),
            s.d(),
            s.heads(),
            s.layers(),
            s.seq(),
            operator,
            s.block(),
            s.steps(),
            s.batch(),
            s.checkpointEvery(),
            Math.max(1, s.steps() / 20));
    Path file = dir.resolve(operator + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
