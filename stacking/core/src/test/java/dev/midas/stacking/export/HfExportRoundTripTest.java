package dev.midas.stacking.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.midas.checkpoint.NamedTensors;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.ModelConfig;
import dev.midas.stacking.model.TestingModels;
import dev.midas.stacking.model.TransformerLM;
import dev.midas.stacking.trained.TestingTrainedRuns;
import dev.midas.stacking.trained.TrainedCheckpoint;
import dev.midas.stacking.trained.TrainedCheckpoints;
import dev.midas.store.StoreOptions;
import dev.midas.store.artifact.Sha256;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An exported folder computes our logits: the reference forward pass written from the Hugging Face
 * GPT-2 and Llama definitions ({@code src/test/python/hf_reference.py}, plain torch ops, reading
 * {@code model.safetensors} by its published format) reproduces them within 1e-4 on a fixed batch,
 * and the same reference told a different detail (GELU's tanh form, another rotary base) does not,
 * so the comparison can tell.
 */
class HfExportRoundTripTest {
  static final double TOLERANCE = 1e-4;
  @TempDir Path dir;

  @BeforeAll
  static void pythonWithTorch() throws Exception {
    ReferencePython.requireTorch();
  }

  @ParameterizedTest(name = "{0} {1} {2} tied={3}")
  @CsvSource({
    "layernorm, learned, gelu, false, GPT2LMHeadModel, activation_function, gelu_new",
    "layernorm, learned, relu, true, GPT2LMHeadModel, layer_norm_epsilon, 0.1",
    "rmsnorm, rotary, gelu, false, LlamaForCausalLM, rope_theta, 500000.0",
    "rmsnorm, rotary, relu, true, LlamaForCausalLM, rms_norm_eps, 0.1"
  })
  void theReferenceForwardPassOfTheExportReproducesOurLogits(
      String norm,
      String positions,
      String activation,
      boolean tied,
      String architecture,
      String field,
      String otherValue)
      throws Exception {
    ModelConfig config = TestingTrainedRuns.model(norm, positions, activation, tied);
    NamedTensors params = TestingTrainedRuns.params(config, 11);
    Path root = dir.resolve("store");
    TestingTrainedRuns.writeRun(root);
    URI manifest =
        TestingTrainedRuns.checkpoint(
            root, config, params, CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL);

    TrainedCheckpoint checkpoint =
        TrainedCheckpoints.read(manifest.toString(), StoreOptions.DEFAULTS);
    Path out = dir.resolve("hf");
    HfExport.Result result = HfExport.write(checkpoint, out);

    assertThat(result.architecture()).isEqualTo(architecture);
    JsonNode json = new ObjectMapper().readTree(out.resolve(HfExport.CONFIG).toFile());
    assertThat(json.path("architectures").get(0).asText()).isEqualTo(architecture);
    assertThat(json.path("tie_word_embeddings").asBoolean()).isEqualTo(tied);
    assertThat(json.path("midas_source").path("manifest").asText()).isEqualTo(manifest.toString());
    assertThat(json.path("midas_source").path("manifest_sha256").asText())
        .isEqualTo(Sha256.hex(Files.readAllBytes(Path.of(manifest))));

    int[][] batch = batch(config, 5);
    float[] ours;
    try (TransformerLM model = TransformerLM.fromParams(config, params)) {
      ours = TestingModels.logits(model, batch);
    }
    float[] reference = ReferencePython.logits(out, batch, dir);
    double diff = ReferencePython.maxAbsDiff(ours, reference);
    System.out.printf(
        "%s %s/%s/%s tied=%s: max |ours - reference| = %.2e over %d logits%n",
        architecture, norm, positions, activation, tied, diff, ours.length);
    assertThat(diff).isLessThan(TOLERANCE);

    ObjectNode changed = (ObjectNode) json;
    if (otherValue.matches("[0-9.]+")) {
      changed.put(field, Double.parseDouble(otherValue));
    } else {
      changed.put(field, otherValue);
    }
    new ObjectMapper().writeValue(out.resolve(HfExport.CONFIG).toFile(), changed);
    float[] wrong = ReferencePython.logits(out, batch, dir);
    assertThat(ReferencePython.maxAbsDiff(ours, wrong))
        .as("logits with %s = %s", field, otherValue)
        .isGreaterThan(10 * TOLERANCE);
  }

  /** Two full-length rows of seeded ids, so every position (and rotary angle) is exercised. */
  static int[][] batch(ModelConfig c, long seed) {
    Random r = new Random(seed);
    int[][] b = new int[2][c.getSeqLen()];
    for (int[] row : b) {
      for (int t = 0; t < row.length; t++) {
        row[t] = r.nextInt(c.getVocabSize());
      }
    }
    return b;
  }
}
