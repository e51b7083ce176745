package dev.midas.stacking.trained;

import com.google.protobuf.util.JsonFormat;
import dev.midas.checkpoint.CheckpointMeta;
import dev.midas.checkpoint.CheckpointStore;
import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.Tensor;
import dev.midas.checkpoint.TrainState;
import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import dev.midas.proto.ModelConfig;
import dev.midas.proto.TrainPosition;
import dev.midas.stacking.model.ModelConfigs;
import dev.midas.stacking.model.ParameterLayout;
import dev.midas.store.FileObjectStore;
import dev.midas.store.ObjectStore;
import dev.midas.store.artifact.Sha256;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

/**
 * Committed checkpoints in a real run layout on a {@code file://} store, with the frozen spec and a
 * dataset whose {@code tokenizer.json} (a word-level vocabulary of 48 tokens, end-of-text id 0) the
 * run names: what export and generation read.
 */
public final class TestingTrainedRuns {
  public static final String EXPERIMENT = "toy";
  public static final String UID = "u1";
  public static final int VOCAB = 48;

  private TestingTrainedRuns() {}

  public static ModelConfig model(String norm, String positions, String activation, boolean tied) {
    return ModelConfig.newBuilder()
        .setVocabSize(VOCAB)
        .setDModel(32)
        .setNHeads(4)
        .setDFf(64)
        .setNLayers(2)
        .setSeqLen(16)
        .setNorm(norm)
        .setPositions(positions)
        .setActivation(activation)
        .setTieEmbeddings(tied)
        .build();
  }

  /**
   * Parameters far from their initialisation (N(0, 0.5), gammas 1 + N(0, 0.3)), so activations
   * reach the ranges where GELU's exact and tanh forms, or two rotary conventions, differ.
   */
  public static NamedTensors params(ModelConfig config, long seed) {
    Random r = new Random(seed);
    NamedTensors t = new NamedTensors();
    ParameterLayout.shapes(ModelConfigs.normalize(config))
        .forEach(
            (name, shape) -> {
              Tensor x = Tensor.zeros(shape);
              float[] d = x.data();
              boolean gamma = name.endsWith(".gamma");
              for (int i = 0; i < d.length; i++) {
                d[i] =
                    gamma ? 1f + 0.3f * (float) r.nextGaussian() : 0.5f * (float) r.nextGaussian();
              }
              t.put(name, x);
            });
    return t;
  }

  /** The store under {@code root} with the dataset and the run's spec; returns the dataset URI. */
  public static URI writeRun(Path root) throws IOException {
    try (ObjectStore store = new FileObjectStore(root)) {
      byte[] tokenizer = tokenizerJson().getBytes(StandardCharsets.UTF_8);
      store.put("data/toy/v1/tokenizer.json", tokenizer);
      DatasetManifest m =
          DatasetManifest.newBuilder()
              .setFormatVersion(1)
              .setKind("tokens")
              .setName("toy")
              .setVersion("v1")
              .setVocabSize(VOCAB)
              .setEosId(0)
              .setTokenizerSha256(Sha256.hex(tokenizer))
              .addFiles(
                  FileEntry.newBuilder()
                      .setPath("tokenizer.json")
                      .setSize(tokenizer.length)
                      .setSha256(Sha256.hex(tokenizer)))
              .build();
      store.put(
          "data/toy/v1/MANIFEST", JsonFormat.printer().print(m).getBytes(StandardCharsets.UTF_8));
      URI dataset = store.uri("data/toy/v1/MANIFEST");
      writeSpec(root, dataset);
      return dataset;
    }
  }

  /** Freezes the run's spec under {@code root}, naming {@code dataset} as its training data. */
  public static void writeSpec(Path root, URI dataset) throws IOException {
    try (ObjectStore store = new FileObjectStore(root)) {
      writeSpec(store, dataset);
    }
  }

  /** Freezes the run's spec in {@code store}, naming {@code dataset} as its training data. */
  public static void writeSpec(ObjectStore store, URI dataset) throws IOException {
    String spec =
        "model: {vocabSize: 48, dModel: 32, heads: 4, targetLayers: 2, seqLen: 16}\n"
            + "growth: {operator: baseline}\n"
            + "schedule: {totalSteps: 10, batchSize: 4}\n"
            + "data: {dataset: "
            + dataset
            + "}\n";
    store.put(new RunLayout(EXPERIMENT, UID).specKey(), spec.getBytes(StandardCharsets.UTF_8));
  }

  /** Commits a checkpoint of {@code kind} written by stage 1 at global step 8; returns its URI. */
  public static URI checkpoint(
      Path root, ModelConfig model, NamedTensors params, CheckpointKind kind) throws IOException {
    return checkpoint(root, model, params, kind, 8);
  }

  /** Commits a checkpoint of {@code kind} written by stage 1 at {@code step}; returns its URI. */
  public static URI checkpoint(
      Path root, ModelConfig model, NamedTensors params, CheckpointKind kind, long step)
      throws IOException {
    try (ObjectStore store = new FileObjectStore(root)) {
      TrainState state =
          new TrainState(
              model,
              params,
              new NamedTensors(),
              new NamedTensors(),
              TrainPosition.newBuilder()
                  .setGlobalStep(step)
                  .setStageStep(step)
                  .setTokensSeen(64 * step)
                  .build());
      return new CheckpointStore(store)
          .save(new RunLayout(EXPERIMENT, UID), 1, kind, state, CheckpointMeta.of(3));
    }
  }

  /** Words {@code w1} .. {@code w46} and {@code [UNK]}, split on whitespace, joined by spaces. */
  public static String tokenizerJson() {
    StringBuilder vocab = new StringBuilder("\"<|endoftext|>\": 0");
    for (int i = 1; i < VOCAB - 1; i++) {
      vocab.append(", \"w").append(i).append("\": ").append(i);
    }
    vocab.append(", \"[UNK]\": ").append(VOCAB - 1);
    return """
        {"version": "1.0", "truncation": null, "padding": null,
         "added_tokens": [{"id": 0, "content": "<|endoftext|>", "single_word": false,
           "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
         "normalizer": null, "pre_tokenizer": {"type": "WhitespaceSplit"},
         "post_processor": null, "decoder": null,
         "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "[UNK]"}}
        """
        .formatted(vocab);
  }
}
