package dev.midas.stacking.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.midas.checkpoint.NamedTensors;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.ModelConfig;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.stacking.trained.TestingTrainedRuns;
import dev.midas.stacking.trained.TrainedCheckpoint;
import dev.midas.stacking.trained.TrainedCheckpoints;
import dev.midas.store.ObjectStore;
import dev.midas.store.S3ProxyStore;
import dev.midas.store.StoreOptions;
import dev.midas.store.artifact.CorruptArtifactException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What an export writes and what it refuses, leaving no folder that looks whole behind. */
class HfExportTest {
  @RegisterExtension static final S3ProxyStore S3 = new S3ProxyStore();

  @TempDir Path dir;
  private Path root;
  private final ModelConfig gpt2 = TestingTrainedRuns.model("layernorm", "learned", "gelu", false);

  @BeforeEach
  void run() throws Exception {
    root = dir.resolve("store");
    TestingTrainedRuns.writeRun(root);
  }

  private URI checkpoint(ModelConfig c, CheckpointKind kind) throws Exception {
    return TestingTrainedRuns.checkpoint(root, c, TestingTrainedRuns.params(c, 1), kind);
  }

  private static TrainedCheckpoint read(URI manifest) throws Exception {
    return TrainedCheckpoints.read(manifest.toString(), StoreOptions.DEFAULTS);
  }

  @Test
  void writesTheHuggingFaceFilesWithTheRunsTokenizerAndNothingElse() throws Exception {
    URI m = checkpoint(gpt2, CheckpointKind.CHECKPOINT_KIND_PERIODIC);
    Path out = dir.resolve("exports/hf");

    HfExport.Result r = HfExport.write(read(m), out);

    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "config.json",
              "model.safetensors",
              "generation_config.json",
              "tokenizer.json",
              "tokenizer_config.json");
    }
    try (Stream<Path> siblings = Files.list(out.getParent())) {
      assertThat(siblings).containsExactly(out);
    }
    assertThat(Files.readString(out.resolve("tokenizer.json")))
        .isEqualTo(TestingTrainedRuns.tokenizerJson());
    ObjectMapper json = new ObjectMapper();
    JsonNode tc = json.readTree(out.resolve("tokenizer_config.json").toFile());
    assertThat(tc.path("eos_token").asText()).isEqualTo("<|endoftext|>");
    assertThat(tc.path("add_bos_token").asBoolean(true)).isFalse();
    JsonNode gen = json.readTree(out.resolve("generation_config.json").toFile());
    assertThat(gen.path("eos_token_id").asInt(-1)).isZero();
    JsonNode src = json.readTree(out.resolve("config.json").toFile()).path("midas_source");
    assertThat(src.path("kind").asText()).isEqualTo("periodic");
    assertThat(src.path("training_precision").asText()).isEqualTo("fp32");
    assertThat(src.path("dataset").asText()).endsWith("/data/toy/v1/MANIFEST");
    // 2 layers of (2*32 norms + 4*(32*32+32) attention + 64*32+64 + 32*64+32), embeddings, head.
    long perLayer = 2 * 64 + 4 * (32 * 32 + 32) + (64 * 32 + 64) + (32 * 64 + 32);
    assertThat(r.parameters()).isEqualTo(48 * 32 + 16 * 32 + 2 * perLayer + 64 + 48 * 32);
    byte[] st = Files.readAllBytes(out.resolve("model.safetensors"));
    long header =
        java.nio.ByteBuffer.wrap(st, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(header % 8).as("data section 8-byte aligned").isZero();
    assertThat(st.length).isEqualTo(8 + header + 4 * r.parameters());
  }

  @Test
  void exportsTheFp32MastersOfACheckpointTrainedInBf16MixedBitForBit() throws Exception {
    NamedTensors params = TestingTrainedRuns.params(gpt2, 1);
    URI m =
        TestingTrainedRuns.checkpoint(root, gpt2, params, CheckpointKind.CHECKPOINT_KIND_PERIODIC);
    Path manifest = Path.of(m);
    String json = Files.readString(manifest);
    assertThat(json).contains("\"precision\": \"fp32\"");
    Files.writeString(
        manifest, json.replace("\"precision\": \"fp32\"", "\"precision\": \"bf16-mixed\""));

    HfExport.write(read(m), dir.resolve("hf"));

    JsonNode config = new ObjectMapper().readTree(dir.resolve("hf/config.json").toFile());
    assertThat(config.path("torch_dtype").asText()).isEqualTo("float32");
    assertThat(config.path("midas_source").path("training_precision").asText())
        .isEqualTo("bf16-mixed");
    try (NDManager nd = PyTorchRuntime.engine().newBaseManager();
        InputStream in = Files.newInputStream(dir.resolve("hf/model.safetensors"))) {
      NDList written = NDList.decode(nd, in);
      NDArray wte =
          written.stream()
              .filter(a -> a.getName().equals("transformer.wte.weight"))
              .findFirst()
              .orElseThrow();
      assertThat(wte.toFloatArray()).containsExactly(params.get("embed.weight").data());
      NDArray fc =
          written.stream()
              .filter(a -> a.getName().equals("transformer.h.1.mlp.c_fc.weight"))
              .findFirst()
              .orElseThrow();
      float[] ours = params.get("layers.1.mlp.fc1.weight").data(); // [F=64, D=32]
      float[] theirs = fc.toFloatArray(); // [D, F]
      assertThat(theirs[5 * 64 + 7]).isEqualTo(ours[7 * 32 + 5]);
    }
  }

  @Test
  void exportsACheckpointAndItsRunsTokenizerFromAnS3Store() throws Exception {
    URI local = checkpoint(gpt2, CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL);
    try (ObjectStore s3 = S3.open("exports");
        Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        s3.put(root.relativize(f).toString(), f);
      }
      TestingTrainedRuns.writeSpec(s3, URI.create(S3.root("exports") + "/data/toy/v1/MANIFEST"));
    }
    String manifest = S3.root("exports") + "/" + root.toUri().relativize(local);

    TrainedCheckpoint ckpt = TrainedCheckpoints.read(manifest, S3.options());
    HfExport.write(ckpt, dir.resolve("hf"));

    assertThat(ckpt.tokenizer().orElseThrow().datasetManifest()).startsWith("s3://");
    assertThat(dir.resolve("hf/tokenizer.json")).hasContent(TestingTrainedRuns.tokenizerJson());
    assertThat(
            new ObjectMapper()
                .readTree(dir.resolve("hf/config.json").toFile())
                .path("midas_source")
                .path("manifest")
                .asText())
        .isEqualTo(manifest);
  }

  @Test
  void exportsGrownCheckpointsAtTheirNewDepth() throws Exception {
    ModelConfig deeper = gpt2.toBuilder().setNLayers(3).setInitDepth(4).build();
    URI m = checkpoint(deeper, CheckpointKind.CHECKPOINT_KIND_GROWN);
    assertThat(m.toString()).endsWith("/stages/stage-01/grown/MANIFEST");

    HfExport.write(read(m), dir.resolve("hf"));

    JsonNode config = new ObjectMapper().readTree(dir.resolve("hf/config.json").toFile());
    assertThat(config.path("n_layer").asInt()).isEqualTo(3);
    assertThat(config.path("midas_source").path("kind").asText()).isEqualTo("grown");
    assertThat(config.path("midas_source").path("stage").asInt()).isEqualTo(2);
  }

  @Test
  void refusesAConfigNoArchitectureExpressesNamingTheFieldAndWritesNothing() throws Exception {
    URI m =
        checkpoint(
            TestingTrainedRuns.model("layernorm", "rotary", "gelu", false),
            CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL);

    assertThatThrownBy(() -> HfExport.write(read(m), dir.resolve("hf")))
        .isInstanceOf(UnsupportedArchitectureException.class)
        .hasMessageContaining("norm 'layernorm' with positions 'rotary'")
        .satisfies(
            e -> assertThat(((UnsupportedArchitectureException) e).field()).isEqualTo("norm"));
    assertThat(dir.resolve("hf")).doesNotExist();
  }

  @Test
  void refusesACheckpointWhoseParametersFailTheirHash() throws Exception {
    URI m = checkpoint(gpt2, CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL);
    Path params = Path.of(m).resolveSibling("params.bin");
    try (RandomAccessFile f = new RandomAccessFile(params.toFile(), "rw")) {
      f.seek(100);
      int b = f.read();
      f.seek(100);
      f.write(b ^ 1);
    }

    assertThatThrownBy(() -> read(m))
        .isInstanceOf(CorruptArtifactException.class)
        .hasMessageContaining("params.bin");
  }

  @Test
  void refusesAMissingCheckpointAndAUriThatIsNoCheckpointManifest() throws Exception {
    URI m = checkpoint(gpt2, CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL);
    String missing = m.toString().replace("step-000000008", "step-000000009");
    assertThatThrownBy(() -> read(URI.create(missing)))
        .isInstanceOf(CorruptArtifactException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(
            () -> TrainedCheckpoints.read("http://example/MANIFEST", StoreOptions.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("file:// or s3://");
    assertThatThrownBy(
            () ->
                TrainedCheckpoints.read(
                    root.toUri() + "data/toy/v1/MANIFEST", StoreOptions.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a checkpoint MANIFEST");
  }

  @Test
  void neverWritesIntoAFolderThatHoldsSomething() throws Exception {
    URI m = checkpoint(gpt2, CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL);
    Path out = Files.createDirectories(dir.resolve("hf"));
    Files.writeString(out.resolve("notes.txt"), "mine");

    assertThatThrownBy(() -> HfExport.write(read(m), out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not empty");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files).containsExactly(out.resolve("notes.txt"));
    }
    try (Stream<Path> siblings = Files.list(dir)) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.contains("partial"));
    }
  }
}
