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
 * writes {@code tokenizer.json}, builds the manifest (splits, drops, every file with size and
 * SHA-256) and commits the dataset MANIFEST-last. Emits the manifest's JSON.
 */
public class CommitTokensTransform extends PTransform<PCollection<ShardFile>, PCollection<String>> {
  private final Inputs inputs;

  /**
   * What the commit reads besides the shard list: where, the manifest so far, the shard sizing, and
   * the tokenizer, the tokens per split and the counts (drops, documents) as side inputs.
   */
  public record Inputs(
      DatasetLayout layout,
      DatasetManifest template,
      long shardTokens,
      PCollectionView<String> tokenizerJson,
      PCollectionView<Map<String, Long>> splitTokens,
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
                .withSideInputs(
                    written, inputs.tokenizerJson(), inputs.splitTokens(), inputs.stats()));
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
      Map<String, Long> tokensBySplit = c.sideInput(in.splitTokens());
      String json = c.sideInput(in.tokenizerJson());
      DatasetManifest.Builder manifest = in.template().toBuilder();
      List<FileEntry> files = new ArrayList<>();
      Map<String, List<ShardFile>> bySplit = new TreeMap<>();
      for (ShardFile f : c.sideInput(written)) {
        bySplit.computeIfAbsent(f.split(), k -> new ArrayList<>()).add(f);
      }
      long windowTokens = in.template().getSeqLen() + 1L;
      for (String split : List.of(Splits.TRAIN, Splits.VALIDATION)) {
        Long tokens = tokensBySplit.get(split);
        int shards = tokens == null ? 0 : Splits.shards(tokens, in.shardTokens());
        boolean[] present = new boolean[shards];
        long sequences = 0;
        for (ShardFile f : bySplit.getOrDefault(split, List.of())) {
          present[f.shard()] = true;
          sequences += f.sequences();
          files.add(f.entry());
        }
        for (int i = 0; i < shards; i++) {
          if (!present[i]) { // no window hashed here: an empty shard keeps the set complete
            files.add(
                FileWriter.writeWhole(
                    in.layout().tempDir(), DatasetLayout.shardName(split, i, shards), new byte[0]));
          }
        }
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
              in.layout().tempDir(), "tokenizer.json", json.getBytes(StandardCharsets.UTF_8)));
      try (Bpe bpe = Bpe.fromJson(json)) {
        manifest
            .setVocabSize(bpe.vocabSize())
            .setEosId(bpe.eosId())
            .setTokenizerSha256(bpe.sha256());
      }
      manifest.putAllDrops(drops(counts));
      DatasetCommitter.Commit commit = DatasetCommitter.commit(in.layout(), files, manifest);
      c.output(ManifestJson.print(commit.manifest()));
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
