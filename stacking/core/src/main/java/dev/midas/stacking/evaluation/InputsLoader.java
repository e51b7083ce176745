package dev.midas.stacking.evaluation;

import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import dev.midas.proto.ReasoningExample;
import dev.midas.stacking.data.ShardedTokenDataset;
import dev.midas.stacking.data.TokenDataset;
import dev.midas.stacking.eval.PrimitivesDataset;
import dev.midas.stacking.eval.TokenizerCodec;
import dev.midas.store.ObjectStore;
import dev.midas.store.artifact.ManifestReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/** Loads what evaluation reads from the object store: validation windows, tokenizer, primitives. */
public final class InputsLoader {
  public static final String VALIDATION = "validation";

  private InputsLoader() {}

  public static TokenDataset validation(ObjectStore store, String datasetManifestKey)
      throws IOException {
    return ShardedTokenDataset.open(store, datasetManifestKey, VALIDATION);
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
