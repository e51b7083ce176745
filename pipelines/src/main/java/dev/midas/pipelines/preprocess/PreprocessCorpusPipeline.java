package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.corpus.CleaningPolicy;
import dev.midas.pipelines.dataset.CodeVersion;
import dev.midas.pipelines.dataset.DatasetLayout;
import dev.midas.pipelines.dataset.ManifestJson;
import dev.midas.pipelines.dataset.PipelineRuns;
import dev.midas.pipelines.dataset.ShardFile;
import dev.midas.pipelines.tokenizer.Bpe;
import dev.midas.proto.DatasetManifest;
import java.io.IOException;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * PreprocessCorpus: raw text (files, JSONL, the Brown corpus; local or s3://) to packed token
 * shards and a manifest, on the DirectRunner or Flink. read (byte ranges) -> clean -> split ->
 * dedupe (the redistribution) -> train the tokenizer (train split) -> tokenize -> pack by bucket ->
 * shuffle into shards -> commit by publishing the MANIFEST. No step waits for a corpus-wide count
 * except tokenizing, which needs the tokenizer; no task holds more than one document, one bucket's
 * or shard's sort buffer, or the kept tokenizer vocabulary.
 */
public final class PreprocessCorpusPipeline {
  private PreprocessCorpusPipeline() {}

  public static void main(String[] args) {
    System.setProperty("ai.djl.offline", "true");
    PipelineOptionsFactory.register(PreprocessCorpusOptions.class);
    PreprocessCorpusOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(PreprocessCorpusOptions.class);
    DatasetManifest manifest = run(options);
    System.out.println(ManifestJson.print(manifest));
  }

  /** Runs the pipeline to completion and returns the committed manifest. */
  public static DatasetManifest run(PreprocessCorpusOptions options) {
    return PipelineRuns.run(
        options,
        options.getDataset(),
        (pipeline, layout) -> {
          PipelineRuns.Inputs inputs = PipelineRuns.matchInputs(options.getInput());
          Sizing sizing =
              Sizing.of(
                  inputs.bytes(),
                  options.getValidationFraction(),
                  options.getNumShards(),
                  options.getShardTokens());
          build(pipeline, options, inputs, sizing, layout, loadTokenizer(options));
          TokenizeTransform.progress().reset();
        });
  }

  /**
   * Adds the whole pipeline over the input files; how the work is spread (byte ranges, dedupe and
   * counting buckets) follows their total size. {@code tokenizerJson} null means: train one.
   */
  static void build(
      Pipeline p,
      PreprocessCorpusOptions o,
      PipelineRuns.Inputs inputs,
      Sizing sizing,
      DatasetLayout layout,
      String tokenizerJson) {
    CleaningPolicy policy =
        new CleaningPolicy(
            o.getFormat(),
            o.getJsonField(),
            o.getInvalidUtf8() == PreprocessCorpusOptions.InvalidUtf8.DROP,
            o.getMaxDocumentBytes(),
            o.getTooLong() == PreprocessCorpusOptions.TooLong.TRUNCATE);
    long sortMemory = (long) o.getSortMemoryMb() << 20;
    PCollectionTuple read =
        p.apply(
            "ReadDocuments",
            new ReadDocumentsTransform(inputs.files(), policy, Sizing.rangeBytes(inputs.bytes())));
    PCollectionTuple cleaned =
        read.get(ReadDocumentsTransform.DOCUMENTS)
            .apply(
                "CleanDocuments", new CleanDocumentsTransform(policy, o.getValidationFraction()));
    PCollectionTuple unique =
        cleaned
            .get(CleanDocumentsTransform.CLEAN)
            .apply(
                "Dedupe",
                new DedupeTransform(
                    o.getDedupe(), Sizing.dedupeBuckets(inputs.bytes()), sortMemory));
    PCollection<CleanDocument> docs = unique.get(DedupeTransform.UNIQUE);

    PCollectionList<KV<String, Long>> counts =
        PCollectionList.of(
                PCollectionList.of(read.get(ReadDocumentsTransform.EVENTS))
                    .and(cleaned.get(CleanDocumentsTransform.EVENTS))
                    .apply("AllEvents", Flatten.pCollections())
                    .apply("CountEvents", Count.perElement()))
            .and(unique.get(DedupeTransform.STATS));
    PCollection<String> json;
    if (tokenizerJson != null) {
      json = p.apply("GivenTokenizer", Create.of(tokenizerJson));
    } else {
      PCollectionTuple trained =
          docs.apply("TrainSplit", Filter.by(d -> Splits.TRAIN.equals(d.split())))
              .apply(
                  "TrainTokenizer",
                  new TrainTokenizerTransform(
                      o.getVocabSize(),
                      o.getTokenizerMaxWords(),
                      o.getMinPairCount(),
                      o.getTokenizerMinCount(),
                      o.getTokenizerSample(),
                      o.getSeed(),
                      Sizing.countBuckets(inputs.bytes())));
      json = trained.get(TrainTokenizerTransform.TOKENIZER);
      counts = counts.and(trained.get(TrainTokenizerTransform.STATS));
    }
    PCollectionView<String> tokenizer = json.apply("TokenizerView", View.asSingleton());

    PCollectionTuple packed =
        docs.apply("Tokenize", new TokenizeTransform(tokenizer))
            .apply(
                "Pack", new PackSequencesTransform(o.getSeqLen(), o.getSeed(), sizing, sortMemory));
    PCollection<ShardFile> shards =
        packed
            .get(PackSequencesTransform.SEQUENCES)
            .apply("WriteShards", new WriteShardsTransform(layout, sizing, sortMemory));
    PCollectionView<Map<String, Long>> stats =
        counts
            .and(packed.get(PackSequencesTransform.STATS))
            .apply("AllStats", Flatten.pCollections())
            .apply("Stats", new StatsTransform());

    DatasetManifest template =
        DatasetManifest.newBuilder()
            .setFormatVersion(1)
            .setKind("tokens")
            .setName(o.getDataset())
            .setVersion(o.getVersion())
            .setFormat("tfrecord/TokenSequence")
            .setSeqLen(o.getSeqLen())
            .setSeed(o.getSeed())
            .setCodeVersion(CodeVersion.get())
            .addAllSources(o.getInput())
            .build();
    shards.apply(
        "Commit",
        new CommitTokensTransform(
            new CommitTokensTransform.Inputs(layout, template, sizing, tokenizer, stats)));
  }

  private static String loadTokenizer(PreprocessCorpusOptions o) throws IOException {
    if (o.getTokenizer() == null) {
      return null;
    }
    String json = PipelineRuns.readText(o.getTokenizer());
    Bpe.fromJson(json).close(); // fail here, before any work, if tokenizers cannot load it
    return json;
  }
}
