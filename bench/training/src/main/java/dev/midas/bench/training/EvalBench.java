package dev.midas.bench.training;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.proto.ModelConfig;
import dev.midas.proto.ReasoningExample;
import dev.midas.proto.TaskScore;
import dev.midas.stacking.data.ManifestLocation;
import dev.midas.stacking.eval.FewShotEvaluator;
import dev.midas.stacking.eval.FineTuneEvaluator;
import dev.midas.stacking.eval.FineTuner;
import dev.midas.stacking.eval.ModelScoring;
import dev.midas.stacking.eval.PrimitivesDataset;
import dev.midas.stacking.eval.TokenizerCodec;
import dev.midas.stacking.evaluation.InputsLoader;
import dev.midas.stacking.model.ParameterInit;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.stacking.model.TransformerLM;
import dev.midas.store.ObjectStore;
import dev.midas.store.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the evaluation of one checkpoint costs: the k-shot primitives (greedy exact match and
 * log-likelihood ranking of every query) and the fine-tune protocol, timed apart, on a demo's
 * tokenizer and primitives and a seeded model of the {@code small} preset's shape (the cost does
 * not depend on the weights beyond how far greedy answers run). Prints one {@code RESULT} line with
 * the seconds of each and the scores' checksum, so two builds' runs can be compared: {@code
 * bench/eval-paths.sh} runs it on this tree and on an earlier commit, alternating, and prints the
 * ratio.
 *
 * <p>It calls only what the evaluation calls ({@code FewShotEvaluator.evaluate}, {@code
 * FineTuneEvaluator.evaluate}) with the evaluation's own settings, so it compiles against earlier
 * revisions too.
 *
 * <pre>
 * EvalBench --dataset file:///.../demo-corpus/v-X/MANIFEST --primitives file:///.../MANIFEST
 *           [--vocab 4096] [--layers 8] [--dmodel 256] [--heads 8] [--ffn 1024] [--seq 256] [--shots 5]
 *           [--eval-per-task 50] [--finetune-seeds 1] [--finetune-steps 40] [--seed 1]
 *           [--threads N]
 * </pre>
 */
public final class EvalBench {
  private EvalBench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = new BenchArgs(args);
    String dataset = a.string("--dataset", null);
    String primitives = a.string("--primitives", null);
    if (dataset == null || primitives == null) {
      throw new IllegalArgumentException(
          "--dataset and --primitives name a demo's corpus and primitives MANIFEST URIs"
              + " (file:///<output>/store/data/demo-corpus/v-*/MANIFEST and demo-primitives)");
    }
    int threads = a.integer("--threads", PyTorchRuntime.defaultThreads());
    PyTorchRuntime.use(threads);
    int shots = a.integer("--shots", 5);
    int perTask = a.integer("--eval-per-task", 50);
    int seeds = a.integer("--finetune-seeds", 1);
    int steps = a.integer("--finetune-steps", 40);
    long seed = a.integer("--seed", 1);
    Path work = Files.createTempDirectory("eval-bench");
    TokenizerCodec codec;
    ManifestLocation data = ManifestLocation.of(dataset);
    try (ObjectStore store = data.open(StoreOptions.DEFAULTS)) {
      codec = InputsLoader.tokenizer(store, data.key(), work);
    }
    Map<String, List<ReasoningExample>> splits;
    ManifestLocation prims = ManifestLocation.of(primitives);
    try (ObjectStore store = prims.open(StoreOptions.DEFAULTS)) {
      splits = InputsLoader.primitives(store, prims.key(), List.of());
    }
    ModelConfig config = smallModel(a);
    NamedTensors params = ParameterInit.model(config, seed);
    FewShotEvaluator.Options fewShot =
        new FewShotEvaluator.Options(shots, perTask, InputsLoader.MAX_ANSWER_TOKENS, seed);
    FineTuneEvaluator.Options fineTune =
        new FineTuneEvaluator.Options(
            64,
            seeds,
            new FineTuner.Options(steps, InputsLoader.FINETUNE_BATCH, InputsLoader.FINETUNE_LR),
            perTask,
            InputsLoader.MAX_ANSWER_TOKENS);
    List<ReasoningExample> eval = splits.get(PrimitivesDataset.EVAL);
    double checksum = 0;
    double fewShotSeconds;
    try (TransformerLM model = TransformerLM.fromParams(config, params)) {
      // Warm-up: the first queries pay for the engine's first calls and the JIT.
      FewShotEvaluator.evaluate(
          ModelScoring.of(model),
          codec,
          splits.get(PrimitivesDataset.FEWSHOT),
          eval,
          new FewShotEvaluator.Options(shots, 2, InputsLoader.MAX_ANSWER_TOKENS, seed));
      long t0 = System.nanoTime();
      List<TaskScore> scores =
          FewShotEvaluator.evaluate(
              ModelScoring.of(model), codec, splits.get(PrimitivesDataset.FEWSHOT), eval, fewShot);
      fewShotSeconds = (System.nanoTime() - t0) / 1e9;
      checksum += sum(scores);
    }
    long t1 = System.nanoTime();
    List<TaskScore> tuned =
        FineTuneEvaluator.evaluate(
            config, params, codec, splits.get(PrimitivesDataset.FINETUNE), eval, fineTune, seed);
    double fineTuneSeconds = (System.nanoTime() - t1) / 1e9;
    checksum += sum(tuned);
    codec.close();
    System.out.printf(
        Locale.ROOT,
        "RESULT eval layers=%d dmodel=%d seq=%d vocab=%d shots=%d eval_per_task=%d"
            + " finetune_seeds=%d finetune_steps=%d threads=%d fewshot_s=%.2f finetune_s=%.2f"
            + " scores_checksum=%.6f%n",
        config.getNLayers(),
        config.getDModel(),
        config.getSeqLen(),
        config.getVocabSize(),
        shots,
        perTask,
        seeds,
        steps,
        threads,
        fewShotSeconds,
        fineTuneSeconds,
        checksum);
  }

  /** The {@code small} preset's model, each size overridable: {@code --vocab --layers ...}. */
  static ModelConfig smallModel(BenchArgs a) {
    return ModelConfig.newBuilder()
        .setVocabSize(a.integer("--vocab", 4096))
        .setDModel(a.integer("--dmodel", 256))
        .setNHeads(a.integer("--heads", 8))
        .setDFf(a.integer("--ffn", 1024))
        .setNLayers(a.integer("--layers", 8))
        .setSeqLen(a.integer("--seq", 256))
        .build();
  }

  /** Accuracies summed: equal numbers from two builds say they scored alike. */
  private static double sum(List<TaskScore> scores) {
    return scores.stream()
        .mapToDouble(s -> Double.isNaN(s.getAccuracy()) ? 0 : s.getAccuracy())
        .sum();
  }
}
