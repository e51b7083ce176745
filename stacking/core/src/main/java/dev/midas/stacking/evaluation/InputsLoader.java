package dev.midas.stacking.evaluation;

import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import dev.midas.proto.ReasoningExample;
import dev.midas.stacking.data.ManifestLocation;
import dev.midas.stacking.data.TokenDataset;
import dev.midas.stacking.eval.FewShotEvaluator;
import dev.midas.stacking.eval.FineTuneEvaluator;
import dev.midas.stacking.eval.FineTuner;
import dev.midas.stacking.eval.PrimitivesDataset;
import dev.midas.stacking.eval.TokenizerCodec;
import dev.midas.store.ObjectStore;
import dev.midas.store.StoreOptions;
import dev.midas.store.artifact.ManifestReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Loads what evaluation reads from the object store: validation windows, tokenizer, primitives. */
public final class InputsLoader {
  /**
   * Greedy decoding budget: answers are a number up to 25 or a short word, a few BPE tokens, then
   * the newline that ends them.
   */
  public static final int MAX_ANSWER_TOKENS = 6;

  /** Fine-tuning batch and learning rate (the paper leaves them open; these fit 64 examples). */
  public static final int FINETUNE_BATCH = 16;

  public static final double FINETUNE_LR = 1e-3;

  /** Inputs and the tokenizer they hold, closed together. */
  public record Loaded(EvaluationInputs inputs, Optional<TokenizerCodec> codec)
      implements AutoCloseable {
    @Override
    public void close() {
      codec.ifPresent(TokenizerCodec::close);
    }
  }

  private InputsLoader() {}

  /**
   * What a run's evaluation measures on, from its spec: the validation windows its stages used,
   * and, when it names a dataset (with a tokenizer) and primitives, the primitives of {@code
   * evaluation.tasks} with the spec's evaluation settings. A run on synthetic tokens has no text:
   * only its validation loss and the analyses are measured.
   */
  public static Loaded forRun(ResolvedSpec spec, TokenDataset validation, Path workDir)
      throws IOException {
    ResolvedSpec.Evaluation e = spec.evaluation();
    StoreOptions options = StoreOptions.from(spec.storage());
    Optional<TokenizerCodec> codec = Optional.empty();
    Map<String, List<ReasoningExample>> primitives = Map.of();
    if (spec.data().dataset().isPresent() && spec.data().primitives().isPresent()) {
      ManifestLocation data = ManifestLocation.of(spec.data().dataset().get());
      try (ObjectStore store = data.open(options)) {
        codec = Optional.of(tokenizer(store, data.key(), workDir.resolve("tokenizer")));
      }
      ManifestLocation prims = ManifestLocation.of(spec.data().primitives().get());
      try (ObjectStore store = prims.open(options)) {
        primitives = primitives(store, prims.key(), e.tasks());
      }
    }
    EvaluationInputs inputs =
        new EvaluationInputs(
            validation,
            spec.schedule().batchSize(),
            e.valBatches(),
            codec.orElse(null),
            primitives,
            new FewShotEvaluator.Options(
                e.shots(), e.evalPerTask(), MAX_ANSWER_TOKENS, spec.seed()),
            new FineTuneEvaluator.Options(
                e.finetuneExamples(),
                e.finetuneSeeds(),
                new FineTuner.Options(e.finetuneSteps(), FINETUNE_BATCH, FINETUNE_LR),
                e.evalPerTask(),
                MAX_ANSWER_TOKENS),
            e.finetune(),
            e.analysisTokens(),
            spec.seed());
    return new Loaded(inputs, codec);
  }

  /**
   * The dataset's {@code tokenizer.json}, verified against its manifest and copied to {@code dir}.
   */
  public static TokenizerCodec tokenizer(ObjectStore store, String datasetManifestKey, Path dir)
      throws IOException {
    ManifestReader reader = new ManifestReader(store);
    DatasetManifest m = reader.read(datasetManifestKey, DatasetManifest.getDefaultInstance());
    FileEntry entry =
        m.getFilesList().stream()
            .filter(f -> f.getPath().endsWith("tokenizer.json"))
            .findFirst()
            .orElseThrow(
                () -> new IOException(store.uri(datasetManifestKey) + " lists no tokenizer.json"));
    Files.createDirectories(dir);
    Path local = dir.resolve("tokenizer.json");
    try (InputStream in = reader.openVerified(datasetManifestKey, entry)) {
      Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
    }
    return TokenizerCodec.load(local, m.getEosId());
  }

  /**
   * Primitives by split, only of the spec's {@code evaluation.tasks} (all when it lists none), or
   * none when no primitives dataset was made.
   */
  public static Map<String, List<ReasoningExample>> primitives(
      ObjectStore store, String primitivesManifestKey, List<String> tasks) throws IOException {
    if (primitivesManifestKey == null) {
      return Map.of();
    }
    Map<String, List<ReasoningExample>> out = new java.util.TreeMap<>();
    PrimitivesDataset.load(store, primitivesManifestKey)
        .forEach(
            (split, examples) ->
                out.put(
                    split,
                    examples.stream()
                        .filter(e -> tasks.isEmpty() || tasks.contains(e.getTask()))
                        .toList()));
    return out;
  }
}
