package dev.midas.stacking.runner;

import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.proto.DatasetManifest;
import dev.midas.stacking.data.ManifestLocation;
import dev.midas.stacking.data.ShardedTokenDataset;
import dev.midas.stacking.data.TokenDataset;
import dev.midas.store.ObjectStore;
import dev.midas.store.StoreOptions;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The train and validation windows a stage reads: the {@code train} and {@code validation} splits
 * of the spec's dataset manifest, or, when the spec names none, {@link SyntheticTokens} seeded from
 * the experiment seed.
 */
public record StageData(TokenDataset train, TokenDataset validation, String source) {
  /** Synthetic windows: enough for smoke runs without holding much memory. */
  static final int SYNTHETIC_TRAIN_WINDOWS = 4096;

  static final int SYNTHETIC_VALIDATION_WINDOWS = 256;

  /**
   * In a process that serves stage after stage ({@link StageServer}), the windows it read last,
   * with what they were read for: the next stage of the same run reads the same ones (windows are
   * immutable). Null in any other process, which reads afresh every time.
   */
  private static volatile AtomicReference<Map.Entry<List<Object>, StageData>> last;

  /** Keeps the windows read last for the next stage of this process ({@link StageServer}). */
  static void keepLast() {
    last = new AtomicReference<>();
  }

  /** Everything the windows depend on. */
  private static List<Object> inputs(ResolvedSpec spec) {
    return List.of(spec.data(), spec.model(), spec.seed(), spec.storage());
  }

  public static StageData open(ResolvedSpec spec) throws IOException {
    AtomicReference<Map.Entry<List<Object>, StageData>> kept = last;
    if (kept == null) {
      return read(spec);
    }
    List<Object> inputs = inputs(spec);
    Map.Entry<List<Object>, StageData> before = kept.get();
    if (before != null && before.getKey().equals(inputs)) {
      return before.getValue();
    }
    StageData data = read(spec);
    kept.set(Map.entry(inputs, data));
    return data;
  }

  private static StageData read(ResolvedSpec spec) throws IOException {
    ResolvedSpec.Model m = spec.model();
    if (spec.data().dataset().isEmpty()) {
      return new StageData(
          SyntheticTokens.generate(
              m.vocabSize(), m.seqLen(), spec.seed(), spec.seed() + 1, SYNTHETIC_TRAIN_WINDOWS),
          SyntheticTokens.generate(
              m.vocabSize(),
              m.seqLen(),
              spec.seed(),
              spec.seed() + 2,
              SYNTHETIC_VALIDATION_WINDOWS),
          "synthetic");
    }
    String manifest = spec.data().dataset().get();
    ManifestLocation loc = ManifestLocation.of(manifest);
    String key = loc.key();
    try (ObjectStore store = loc.open(StoreOptions.from(spec.storage()))) {
      DatasetManifest dm = ShardedTokenDataset.manifest(store, key);
      if (dm.getVocabSize() > m.vocabSize()) {
        throw new StageException(
            ExitClass.BAD_SPEC,
            "dataset "
                + manifest
                + " has vocab_size "
                + dm.getVocabSize()
                + ", more than model.vocabSize "
                + m.vocabSize());
      }
      return new StageData(
          ShardedTokenDataset.open(store, key, "train"),
          ShardedTokenDataset.open(store, key, "validation"),
          manifest);
    }
  }
}
