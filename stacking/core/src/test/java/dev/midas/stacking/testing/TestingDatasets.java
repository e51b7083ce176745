package dev.midas.stacking.testing;

import dev.midas.proto.DatasetManifest;
import dev.midas.proto.ReasoningExample;
import dev.midas.stacking.data.TokenShardWriter;
import dev.midas.stacking.eval.PrimitivesDataset;
import dev.midas.stacking.trained.TestingTrainedRuns;
import dev.midas.store.ObjectStore;
import dev.midas.store.artifact.ArtifactWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A token dataset with a tokenizer and a primitives dataset, small enough for tests, written into
 * any store the way the pipelines lay them out: what a run's evaluation reads. The tokenizer is
 * {@link TestingTrainedRuns#tokenizerJson()} (words {@code w1..w46}); the token windows follow a
 * fixed pattern a model can learn; the primitives (induction copying and a toy "psm") are made of
 * those words.
 */
public final class TestingDatasets {
  public static final int VOCAB = TestingTrainedRuns.VOCAB;

  /** The MANIFEST URIs of the two datasets. */
  public record Uris(String dataset, String primitives) {}

  private TestingDatasets() {}

  public static Uris write(ObjectStore store, int seqLen) throws IOException {
    byte[] tokenizer = TestingTrainedRuns.tokenizerJson().getBytes(StandardCharsets.UTF_8);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("train-00000-of-00001.tfrecord", TokenShardWriter.shard(windows(0, 96, seqLen)));
    files.put(
        "validation-00000-of-00001.tfrecord", TokenShardWriter.shard(windows(500, 24, seqLen)));
    files.put("tokenizer.json", tokenizer);
    String dataset =
        TokenShardWriter.write(
            store,
            "data/toy/v1/",
            "toy",
            seqLen,
            VOCAB,
            files,
            Map.of("train", 96L, "validation", 24L));
    ArtifactWriter prims = new ArtifactWriter(store, "data/toy-primitives/v1/");
    for (String split :
        List.of(PrimitivesDataset.FEWSHOT, PrimitivesDataset.EVAL, PrimitivesDataset.FINETUNE)) {
      prims.write(split + "-00000-of-00001.tfrecord", tfrecords(examples(split)));
    }
    prims.commit(
        DatasetManifest.newBuilder()
            .setFormatVersion(1)
            .setKind("primitives")
            .setName("toy-primitives")
            .setVersion("v1")
            .setFormat(PrimitivesDataset.FORMAT));
    return new Uris(store.uri(dataset).toString(), store.uri(prims.manifestKey()).toString());
  }

  /** Windows whose next token is mostly (3 * token + k) mod 46, offset by the window index. */
  private static List<int[]> windows(int first, int count, int seqLen) {
    List<int[]> out = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      int[] w = new int[seqLen + 1];
      int t = 1 + i % 46;
      for (int k = 0; k <= seqLen; k++) {
        w[k] = t;
        t = 1 + (3 * t + (i + k) % 2) % 46;
      }
      out.add(w);
    }
    return out;
  }

  private static List<ReasoningExample> examples(String split) {
    int n = PrimitivesDataset.FINETUNE.equals(split) ? 8 : 6;
    int base = split.hashCode() & 0xff;
    List<ReasoningExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int a = 1 + (base + i) % 40;
      String wa = "w" + a;
      String wb = "w" + (a + 1);
      String wc = "w" + (a + 2);
      out.add(
          example(
              "induction_copying",
              split,
              2L * i,
              wa + " " + wb + " " + wc + " " + wa,
              wb,
              List.of(wb, wa, wc)));
      out.add(example("psm", split, 2L * i + 1, wa + " " + wb, wc, List.of(wc, wa, "w" + (a + 3))));
    }
    return out;
  }

  private static ReasoningExample example(
      String task, String split, long id, String prompt, String answer, List<String> candidates) {
    return ReasoningExample.newBuilder()
        .setTask(task)
        .setSplit(split)
        .setId(id)
        .setPrompt(prompt)
        .setAnswer(answer)
        .addAllCandidates(candidates)
        .build();
  }

  private static byte[] tfrecords(List<ReasoningExample> examples) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ReasoningExample e : examples) {
      out.writeBytes(TokenShardWriter.frame(e.toByteArray()));
    }
    return out.toByteArray();
  }
}
