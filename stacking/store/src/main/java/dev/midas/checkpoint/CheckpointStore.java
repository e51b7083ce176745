package dev.midas.checkpoint;

import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.CheckpointManifest;
import dev.midas.proto.FileEntry;
import dev.midas.proto.TensorEntry;
import dev.midas.store.ObjectStore;
import dev.midas.store.artifact.ArtifactWriter;
import dev.midas.store.artifact.CorruptArtifactException;
import dev.midas.store.artifact.ManifestReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Saves and loads {@link TrainState}s as manifest-last artifacts in the run layout. Parameters and
 * the two Adam moments go to {@code params.bin}, {@code adam_m.bin}, {@code adam_v.bin} (raw
 * little-endian float32, see {@link TensorFiles}); the manifest holds the tensor index, the {@code
 * TrainPosition}, the model config and the lineage. Loads verify every file's size and SHA-256
 * while reading, so a state is either whole and bit-exact or refused.
 */
public final class CheckpointStore {
  public static final int FORMAT_VERSION = 1;
  public static final String PARAMS = "params.bin";
  public static final String ADAM_M = "adam_m.bin";
  public static final String ADAM_V = "adam_v.bin";

  private final ObjectStore store;
  private final ManifestReader reader;

  public CheckpointStore(ObjectStore store) {
    this.store = store;
    this.reader = new ManifestReader(store);
  }

  public ObjectStore objectStore() {
    return store;
  }

  /**
   * Commits a checkpoint written by stage {@code stage}: periodic, preempted and stage-final ones
   * go to {@code ckpt/step-<global step>/}, a grown one to {@code grown/} (its manifest's stage is
   * {@code stage + 1}, the stage that will train it).
   *
   * @return the MANIFEST's URI
   */
  public URI save(
      RunLayout run, int stage, CheckpointKind kind, TrainState state, CheckpointMeta meta)
      throws IOException {
    return write(run, stage, kind, state).commit(meta);
  }

  /**
   * Writes a checkpoint's files (hashing them on the way) without committing it: the checkpoint
   * does not exist for any reader until {@link Written#commit}, which can wait for what only comes
   * later, such as the validation loss its manifest records.
   */
  public Written write(RunLayout run, int stage, CheckpointKind kind, TrainState state)
      throws IOException {
    boolean grown = kind == CheckpointKind.CHECKPOINT_KIND_GROWN;
    String folder =
        grown
            ? run.grownPrefix(stage)
            : run.checkpointPrefix(stage, state.position().getGlobalStep());
    ArtifactWriter writer = new ArtifactWriter(store, folder);
    List<TensorEntry> tensors = new ArrayList<>();
    writer.write(PARAMS, out -> tensors.addAll(TensorFiles.write(state.params(), PARAMS, out)));
    if (state.adamM().size() > 0) {
      writer.write(ADAM_M, out -> tensors.addAll(TensorFiles.write(state.adamM(), ADAM_M, out)));
    }
    if (state.adamV().size() > 0) {
      writer.write(ADAM_V, out -> tensors.addAll(TensorFiles.write(state.adamV(), ADAM_V, out)));
    }
    CheckpointManifest.Builder m =
        CheckpointManifest.newBuilder()
            .setFormatVersion(FORMAT_VERSION)
            .setKind(kind)
            .setExperiment(run.experiment())
            .setUid(run.uid())
            .setStage(grown ? stage + 1 : stage)
            .setPosition(state.position())
            .setModel(state.model())
            .addAllTensors(tensors);
    return new Written(writer, m);
  }

  /** A checkpoint whose files are written and hashed, waiting for its manifest. */
  public static final class Written {
    private final ArtifactWriter writer;
    private final CheckpointManifest.Builder manifest;

    private Written(ArtifactWriter writer, CheckpointManifest.Builder manifest) {
      this.writer = writer;
      this.manifest = manifest;
    }

    /** The URI the manifest will have once committed. */
    public URI uri() {
      return writer.manifestUri();
    }

    /** Writes the manifest with {@code meta}'s lineage and losses: the checkpoint now exists. */
    public URI commit(CheckpointMeta meta) throws IOException {
      CheckpointManifest.Builder m =
          manifest
              .clone()
              .setSeed(meta.seed())
              .setParentManifest(meta.parentManifest())
              .setOptimizerStatePolicy(meta.optimizerStatePolicy())
              .setCodeVersion(meta.codeVersion())
              .setTrainLoss(meta.trainLoss())
              .setValLoss(meta.valLoss())
              .setPrecision(meta.precision());
      meta.growth().ifPresent(m::setGrowth);
      meta.choices().ifPresent(m::setChoices);
      return writer.commit(m);
    }
  }

  /** The manifest alone, parsed but with its files unchecked. */
  public CheckpointManifest manifest(URI manifest) throws IOException {
    return reader.read(store.keyOf(manifest), CheckpointManifest.getDefaultInstance());
  }

  /**
   * Loads a checkpoint, verifying every file.
   *
   * @throws CorruptArtifactException when the manifest is missing or any file is not whole
   */
  public TrainState load(URI manifest) throws IOException {
    return load(manifest, true);
  }

  /**
   * Loads a checkpoint's model alone: its parameters, verified, with the optimizer's moments left
   * unread (empty). For readers that only run the model, such as evaluation: the moments are twice
   * the parameters' bytes, all hashed and parsed for nothing otherwise.
   *
   * @throws CorruptArtifactException when the manifest is missing or the parameters are not whole
   */
  public TrainState loadWeights(URI manifest) throws IOException {
    return load(manifest, false);
  }

  private TrainState load(URI manifest, boolean moments) throws IOException {
    String key = store.keyOf(manifest);
    CheckpointManifest m = reader.read(key, CheckpointManifest.getDefaultInstance());
    Map<String, List<TensorEntry>> byFile =
        m.getTensorsList().stream().collect(Collectors.groupingBy(TensorEntry::getFile));
    for (String file : byFile.keySet()) {
      if (m.getFilesList().stream().noneMatch(f -> f.getPath().equals(file))) {
        throw new CorruptArtifactException(
            manifest.toString(), file, "holds tensors but is not listed with a SHA-256");
      }
    }
    NamedTensors params = new NamedTensors();
    NamedTensors adamM = new NamedTensors();
    NamedTensors adamV = new NamedTensors();
    for (FileEntry f : m.getFilesList()) {
      if (!moments && (f.getPath().equals(ADAM_M) || f.getPath().equals(ADAM_V))) {
        continue;
      }
      try (InputStream in = reader.openVerified(key, f)) {
        NamedTensors t =
            TensorFiles.read(in, byFile.getOrDefault(f.getPath(), List.of()), manifest.toString());
        ManifestReader.drain(in);
        NamedTensors target =
            switch (f.getPath()) {
              case PARAMS -> params;
              case ADAM_M -> adamM;
              case ADAM_V -> adamV;
              default -> null;
            };
        if (target != null) {
          t.asMap().forEach(target::put);
        }
      }
    }
    return new TrainState(m.getModel(), params, adamM, adamV, m.getPosition());
  }

  /**
   * Deletes a stage's old checkpoints, keeping the last {@code keepLast}, every stage-final and
   * grown checkpoint, and every checkpoint a kept manifest names as parent.
   *
   * @return the manifest URIs deleted
   */
  public List<URI> retain(RunLayout run, int stage, int keepLast) throws IOException {
    return new CheckpointRetention(store).retain(run, stage, keepLast);
  }
}
