package dev.midas.pipelines.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.midas.pipelines.corpus.BrownText;
import dev.midas.pipelines.testing.TestingCorpus;
import dev.midas.pipelines.testing.TestingOptions;
import dev.midas.pipelines.testing.TestingShards;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.DatasetManifest;
import dev.midas.proto.ModelConfig;
import dev.midas.stacking.export.HfExport;
import dev.midas.stacking.model.ParameterInit;
import dev.midas.stacking.trained.TestingTrainedRuns;
import dev.midas.stacking.trained.TrainedCheckpoints;
import dev.midas.store.StoreOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokenizer an export carries is the one the run's data was made with: loaded as a Hugging Face
 * fast tokenizer with its exported {@code tokenizer_config.json}, it encodes the corpus's documents
 * so that every window of the dataset PreprocessCorpus wrote is a run of those ids.
 */
class ExportedTokenizerTest {
  @TempDir Path out;

  @Test
  void theExportedTokenizerEncodesDocumentsToTheIdsInThePipelinesShards() throws Exception {
    DatasetManifest dataset = PreprocessCorpusPipeline.run(TestingOptions.brown(out));
    Path datasetDir = out.resolve("data/brown/v1");
    URI datasetUri = datasetDir.resolve("MANIFEST").toUri();
    TestingTrainedRuns.writeSpec(out, datasetUri);
    ModelConfig c =
        ModelConfig.newBuilder()
            .setVocabSize(dataset.getVocabSize())
            .setDModel(16)
            .setNHeads(2)
            .setNLayers(1)
            .setSeqLen(dataset.getSeqLen())
            .build();
    URI ckpt =
        TestingTrainedRuns.checkpoint(
            out, c, ParameterInit.model(c, 1), CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL);
    Path hf = out.resolve("hf");
    HfExport.write(TrainedCheckpoints.read(ckpt.toString(), StoreOptions.DEFAULTS), hf);

    JsonNode config = new ObjectMapper().readTree(hf.resolve("tokenizer_config.json").toFile());
    boolean special =
        config.path("add_bos_token").asBoolean(true)
            || config.path("add_eos_token").asBoolean(true);
    List<long[]> documents = new ArrayList<>();
    try (HuggingFaceTokenizer exported =
        HuggingFaceTokenizer.builder()
            .optTokenizerPath(hf.resolve("tokenizer.json"))
            .optAddSpecialTokens(special)
            .optTruncation(false) // DJL's builder truncates at 512 unless told; the file does not
            .optPadding(false)
            .build()) {
      assertThat(exported.encode(config.path("eos_token").asText()).getIds())
          .containsExactly(dataset.getEosId());
      for (String tagged : TestingCorpus.brownSamples(20)) {
        documents.add(exported.encode(BrownText.untag(tagged)).getIds());
      }
    }

    List<int[]> windows = TestingShards.windows(datasetDir, "train");
    int pieces = 0;
    for (int[] window : windows.subList(0, 40)) {
      // A window is a cut through documents, each followed by end-of-text.
      int start = 0;
      for (int i = 0; i <= window.length; i++) {
        if (i == window.length || window[i] == dataset.getEosId()) {
          int[] piece = Arrays.copyOfRange(window, start, i);
          if (piece.length > 0) {
            assertThat(documents.stream().anyMatch(d -> contains(d, piece)))
                .as("window piece %s", Arrays.toString(piece))
                .isTrue();
            pieces++;
          }
          start = i + 1;
        }
      }
    }
    assertThat(pieces).isGreaterThanOrEqualTo(40);
  }

  private static boolean contains(long[] haystack, int[] needle) {
    outer:
    for (int s = 0; s + needle.length <= haystack.length; s++) {
      for (int k = 0; k < needle.length; k++) {
        if (haystack[s + k] != needle[k]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
