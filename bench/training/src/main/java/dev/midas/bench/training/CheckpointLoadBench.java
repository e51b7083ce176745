package dev.midas.bench.training;

import dev.midas.checkpoint.CheckpointMeta;
import dev.midas.checkpoint.CheckpointStore;
import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.TrainState;
import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.ModelConfig;
import dev.midas.proto.TrainPosition;
import dev.midas.stacking.model.ParameterInit;
import dev.midas.store.FileObjectStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What reading one checkpoint costs evaluation: a model of the {@code small} preset's shape saved
 * with its Adam moments to a local store, then read back whole ({@code load}, what a stage resumes
 * from) and as parameters alone ({@code loadWeights}, what evaluation reads), alternating, each
 * hashed and parsed. Prints both medians and their ratio.
 *
 * <pre>
 * CheckpointLoadBench [--vocab 4096] [--layers 8] [--dmodel 256] [--heads 8] [--ffn 1024]
 *                     [--seq 256] [--rounds 7]
 * </pre>
 */
public final class CheckpointLoadBench {
  private CheckpointLoadBench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = new BenchArgs(args);
    ModelConfig config = EvalBench.smallModel(a);
    int rounds = a.integer("--rounds", 7);
    NamedTensors params = ParameterInit.model(config, 1);
    TrainState state =
        new TrainState(
            config,
            params,
            ParameterInit.model(config, 2),
            ParameterInit.model(config, 3),
            TrainPosition.newBuilder().setGlobalStep(250).setStageStep(250).build());
    Path dir = Files.createTempDirectory("ckpt-bench");
    try {
      CheckpointStore ckpts = new CheckpointStore(new FileObjectStore(dir));
      URI manifest =
          ckpts.save(
              new RunLayout("bench", "u-1"),
              1,
              CheckpointKind.CHECKPOINT_KIND_PERIODIC,
              state,
              CheckpointMeta.of(1));
      ckpts.load(manifest); // warm-up: class loading, the JIT, the page cache
      ckpts.loadWeights(manifest);
      double[] whole = new double[rounds];
      double[] weights = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        long t0 = System.nanoTime();
        ckpts.load(manifest);
        long t1 = System.nanoTime();
        ckpts.loadWeights(manifest);
        long t2 = System.nanoTime();
        whole[r] = (t1 - t0) / 1e9;
        weights[r] = (t2 - t1) / 1e9;
      }
      double w = TrainBench.median(whole);
      double p = TrainBench.median(weights);
      long bytes = params.names().stream().mapToLong(n -> params.get(n).data().length).sum() * 4;
      System.out.printf(
          Locale.ROOT,
          "RESULT checkpoint_load layers=%d dmodel=%d vocab=%d param_mb=%.1f rounds=%d"
              + " load_s=%.3f load_weights_s=%.3f weights_over_load=%.3f%n",
          config.getNLayers(),
          config.getDModel(),
          config.getVocabSize(),
          bytes / 1e6,
          rounds,
          w,
          p,
          p / w);
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
