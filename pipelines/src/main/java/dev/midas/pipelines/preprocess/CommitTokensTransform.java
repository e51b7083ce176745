package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.dataset.DatasetCommitter;
import dev.midas.pipelines.dataset.DatasetLayout;
import dev.midas.pipelines.dataset.EmptyDatasetException;
import dev.midas.pipelines.dataset.FileWriter;
import dev.midas.pipelines.dataset.ManifestJson;
import dev.midas.pipelines.dataset.ShardFile;
import dev.midas.pipelines.tokenizer.Bpe;
import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import dev.midas.proto.SplitStats;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The last step, run once after every shard is written: fills in empty shards that got no window,
 * writes {@code tokenizer.json}, builds the manifest (splits, drops, the run's stats, every file
 * with size and SHA-256) and commits the dataset by publishing its MANIFEST. Emits the manifest's
 * JSON.
 */
public class CommitTokensTransform extends PTransform<PCollection<ShardFile>, PCollection<String>> {
  private final Inputs inputs;

  /**
   * What the commit reads besides the shard list: where, the manifest so far, the sizing, and the
   * tokenizer and the run's counts (drops, documents, stats) as side inputs.
   */
  public record Inputs(
      DatasetLayout layout,
      DatasetManifest template,
      Sizing sizing,
      PCollectionView<String> tokenizerJson,
      PCollectionView<Map<String, Long>> stats)
      implements Serializable {}

  public CommitTokensTransform(Inputs inputs) {
    this.inputs = inputs;
  }

  @Override
  public PCollection<String> expand(PCollection<ShardFile> shards) {
    PCollectionView<List<ShardFile>> written = shards.apply("AllShards", View.asList());
    // A one-element input whose only job is to run the commit after all side inputs are complete.
    return shards
        .getPipeline()
        .apply("Trigger", Create.of("commit"))
        .apply(
            "Commit",
            ParDo.of(new CommitFn(inputs, written))
                .withSideInputs(written, inputs.tokenizerJson(), inputs.stats()));
  }

  /** Commits the dataset. */
  static class CommitFn extends DoFn<String, String> {
    private final Inputs in;
    private final PCollectionView<List<ShardFile>> written;

    CommitFn(Inputs in, PCollectionView<List<ShardFile>> written) {
      this.in = in;
      this.written = written;
    }

    @ProcessElement
    public void process(ProcessContext c) throws IOException {
      Map<String, Long> counts = new TreeMap<>(c.sideInput(in.stats()));
      String json = c.sideInput(in.tokenizerJson());
      DatasetManifest.Builder manifest = in.template().toBuilder();
      List<FileEntry> files = new ArrayList<>();
      Map<String, List<ShardFile>> bySplit = new TreeMap<>();
      for (ShardFile f : c.sideInput(written)) {
        bySplit.computeIfAbsent(f.split(), k -> new ArrayList<>()).add(f);
      }
      Map<String, Long> stats = new TreeMap<>();
      long windowTokens = in.template().getSeqLen() + 1L;
      for (String split : List.of(Splits.TRAIN, Splits.VALIDATION)) {
        int shards = in.sizing().shards(split);
        boolean[] present = new boolean[shards];
        long sequences = 0;
        long minBytes = Long.MAX_VALUE;
        long maxBytes = 0;
        long minSequences =
            shards > bySplit.getOrDefault(split, List.of()).size() ? 0 : Long.MAX_VALUE;
        long maxSequences = 0;
        for (ShardFile f : bySplit.getOrDefault(split, List.of())) {
          present[f.shard()] = true;
          sequences += f.sequences();
          files.add(f.entry());
          minBytes = Math.min(minBytes, f.size());
          maxBytes = Math.max(maxBytes, f.size());
          minSequences = Math.min(minSequences, f.sequences());
          maxSequences = Math.max(maxSequences, f.sequences());
        }
        for (int i = 0; i < shards; i++) {
          if (!present[i]) { // no window hashed here: an empty shard keeps the set complete
            files.add(
                FileWriter.writeWhole(
                    in.layout().runDir(), DatasetLayout.shardName(split, i, shards), new byte[0]));
            minBytes = 0;
          }
        }
        stats.put("shard." + split + ".bytes.min", minBytes == Long.MAX_VALUE ? 0 : minBytes);
        stats.put("shard." + split + ".bytes.max", maxBytes);
        stats.put(
            "shard." + split + ".sequences.min", minSequences == Long.MAX_VALUE ? 0 : minSequences);
        stats.put("shard." + split + ".sequences.max", maxSequences);
        stats.put("pack." + split + ".buckets", (long) in.sizing().buckets(split));
        manifest.addSplits(
            SplitStats.newBuilder()
                .setName(split)
                .setDocuments(counts.getOrDefault(split + ".documents", 0L))
                .setSequences(sequences)
                .setTokens(sequences * windowTokens)
                .setShards(shards));
      }
      if (manifest.getSplits(0).getSequences() == 0) {
        throw new EmptyDatasetException(
            "no training sequence of "
                + windowTokens
                + " tokens: "
                + manifest.getSplits(0).getDocuments()
                + " training documents survived cleaning; drops "
                + drops(counts));
      }
      files.add(
          FileWriter.writeWhole(
              in.layout().runDir(), "tokenizer.json", json.getBytes(StandardCharsets.UTF_8)));
      try (Bpe bpe = Bpe.fromJson(json)) {
        manifest
            .setVocabSize(bpe.vocabSize())
            .setEosId(bpe.eosId())
            .setTokenizerSha256(bpe.sha256());
      }
      counts.forEach(
          (k, v) -> {
            if (k.startsWith("tokenizer.") || k.startsWith("pack.")) {
              stats.put(k, v);
            }
          });
      derive(
          stats,
          TrainTokenizerTransform.DISTINCT,
          TrainTokenizerTransform.CANDIDATES,
          "tokenizer.pretokens_under_min_count");
      derive(
          stats,
          TrainTokenizerTransform.CANDIDATES,
          TrainTokenizerTransform.TRAINED,
          "tokenizer.pretokens_over_max_words");
      manifest.putAllDrops(drops(counts)).putAllStats(stats);
      DatasetCommitter.Commit commit = DatasetCommitter.commit(in.layout(), files, manifest);
      c.output(ManifestJson.print(commit.manifest()));
    }

    /** {@code to = from - minus}, when the tokenizer was trained here (not given). */
    private static void derive(Map<String, Long> stats, String from, String minus, String to) {
      if (stats.containsKey(from) && stats.containsKey(minus)) {
        stats.put(to, stats.get(from) - stats.get(minus));
      }
    }

    private static Map<String, Long> drops(Map<String, Long> counts) {
      Map<String, Long> drops = new TreeMap<>();
      counts.forEach(
          (k, v) -> {
            if (!k.contains(".")) {
              drops.put(k, v);
            }
          });
      return drops;
    }
  }
}
