package dev.midas.stacking.trained;

import dev.midas.checkpoint.CheckpointStore;
import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.TrainState;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.plan.spec.SpecLoader;
import dev.midas.plan.spec.SpecValidator;
import dev.midas.proto.CheckpointManifest;
import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import dev.midas.stacking.model.ModelConfigs;
import dev.midas.stacking.model.ParameterLayout;
import dev.midas.store.ObjectStore;
import dev.midas.store.ObjectStores;
import dev.midas.store.StoreOptions;
import dev.midas.store.artifact.CorruptArtifactException;
import dev.midas.store.artifact.ManifestReader;
import dev.midas.store.artifact.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads a committed checkpoint of any kind (periodic, preempted, stage-final, grown) for export or
 * sampling: every file verified against the manifest's sizes and SHA-256, the parameters checked
 * against the shapes the manifest's model config implies, and the tokenizer found through the run's
 * frozen spec ({@code runs/<experiment>/<uid>/spec}, whose {@code data.dataset} names the dataset
 * whose {@code tokenizer.json} the run trained with).
 */
public final class TrainedCheckpoints {
  private TrainedCheckpoints() {}

  /**
   * @param uri a checkpoint MANIFEST URI ({@code file://}, {@code s3://}) or local path
   * @param options how to reach an {@code s3://} store (endpoint, region, path style)
   * @throws IllegalArgumentException when the URI is not a checkpoint MANIFEST
   * @throws CorruptArtifactException when the checkpoint is missing, incomplete or fails a hash
   */
  public static TrainedCheckpoint read(String uri, StoreOptions options) throws IOException {
    CheckpointLocation loc = CheckpointLocation.parse(uri);
    try (ObjectStore store = ObjectStores.open(loc.root(), options)) {
      CheckpointStore checkpoints = new CheckpointStore(store);
      TrainState state = checkpoints.load(loc.manifest());
      byte[] manifestBytes = store.get(loc.manifestKey());
      CheckpointManifest manifest = checkpoints.manifest(loc.manifest());
      checkShapes(loc, manifest, state.params());
      String[] missing = new String[1];
      Optional<RunTokenizer> tokenizer = tokenizer(store, loc, options, missing);
      return new TrainedCheckpoint(
          loc,
          manifest,
          Sha256.hex(manifestBytes),
          state.params(),
          tokenizer,
          missing[0] == null ? "" : missing[0]);
    }
  }

  private static void checkShapes(
      CheckpointLocation loc, CheckpointManifest manifest, NamedTensors params)
      throws CorruptArtifactException {
    Map<String, long[]> expected =
        ParameterLayout.shapes(ModelConfigs.normalize(manifest.getModel()));
    if (!expected.keySet().equals(params.names())) {
      TreeSet<String> extra = new TreeSet<>(params.names());
      extra.removeAll(expected.keySet());
      TreeSet<String> absent = new TreeSet<>(expected.keySet());
      absent.removeAll(params.names());
      throw new CorruptArtifactException(
          loc.manifest().toString(),
          CheckpointStore.PARAMS,
          "does not hold the parameters its model config describes: missing "
              + absent
              + ", unexpected "
              + extra);
    }
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      long[] shape = params.get(e.getKey()).shape();
      if (!Arrays.equals(shape, e.getValue())) {
        throw new CorruptArtifactException(
            loc.manifest().toString(),
            CheckpointStore.PARAMS,
            "holds "
                + e.getKey()
                + " of shape "
                + Arrays.toString(shape)
                + ", its model config needs "
                + Arrays.toString(e.getValue()));
      }
    }
  }

  private static Optional<RunTokenizer> tokenizer(
      ObjectStore store, CheckpointLocation loc, StoreOptions options, String[] missing)
      throws IOException {
    String specKey = loc.run().specKey();
    byte[] specBytes;
    try {
      specBytes = store.get(specKey);
    } catch (NoSuchFileException e) {
      missing[0] = "its run's frozen spec " + store.uri(specKey) + " does not exist";
      return Optional.empty();
    }
    ResolvedSpec spec =
        SpecValidator.resolve(
            SpecLoader.parse(
                new String(specBytes, StandardCharsets.UTF_8), store.uri(specKey).toString()),
            loc.run().experiment());
    if (spec.data().dataset().isEmpty()) {
      missing[0] = "its run trained on synthetic tokens (the run's spec names no data.dataset)";
      return Optional.empty();
    }
    String dataset = spec.data().dataset().get();
    URI manifest = URI.create(dataset);
    URI root = grandparent(manifest);
    boolean sameStore =
        Objects.equals(root.getScheme(), loc.root().getScheme())
            && Objects.equals(root.getAuthority(), loc.root().getAuthority());
    StoreOptions datasetOptions = sameStore ? options : StoreOptions.from(spec.storage());
    try (ObjectStore data = ObjectStores.open(root, datasetOptions)) {
      String key = data.keyOf(manifest);
      ManifestReader reader = new ManifestReader(data);
      DatasetManifest dm = reader.read(key, DatasetManifest.getDefaultInstance());
      FileEntry entry =
          dm.getFilesList().stream()
              .filter(
                  f ->
                      f.getPath().equals("tokenizer.json")
                          || f.getPath().endsWith("/tokenizer.json"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new CorruptArtifactException(
                          dataset,
                          "tokenizer.json",
                          "is not listed: the dataset has no tokenizer"));
      byte[] json;
      try (InputStream in = reader.openVerified(key, entry)) {
        json = in.readAllBytes();
        ManifestReader.drain(in);
      }
      return Optional.of(RunTokenizer.of(dataset, json, entry.getSha256(), dm.getEosId()));
    }
  }

  /** The folder above a manifest's folder: a root under which the manifest has a key. */
  private static URI grandparent(URI manifest) {
    String scheme = manifest.getScheme();
    if ("file".equals(scheme)) {
      Path p = Path.of(manifest).getParent().getParent();
      return p.toUri();
    }
    String path = manifest.getPath();
    String folder = path.substring(0, path.lastIndexOf('/'));
    String parent = folder.substring(0, Math.max(0, folder.lastIndexOf('/')));
    try {
      return new URI(scheme, manifest.getAuthority(), parent.isEmpty() ? "/" : parent, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(manifest + ": " + e.getReason());
    }
  }
}
