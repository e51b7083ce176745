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
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * PreprocessCorpus: raw text (files, JSONL, the Brown corpus; local or s3://) to packed token
 * shards and a manifest, on the DirectRunner or Flink. read -> clean -> split -> train the
 * tokenizer (train split) -> tokenize -> pack -> shuffle into shards -> commit, MANIFEST last.
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
          List<String> files = PipelineRuns.matchInputs(options.getInput());
          build(pipeline, options, files, layout, loadTokenizer(options));
          TokenizeTransform.progress().reset();
        });
  }

  /** Adds the whole pipeline over {@code files}; {@code tokenizerJson} null means: train one. */
  static void build(
      Pipeline p,
      PreprocessCorpusOptions o,
      List<String> files,
      DatasetLayout layout,
      String tokenizerJson) {
    CleaningPolicy policy =
        new CleaningPolicy(
            o.getFormat(),
            o.getJsonField(),
            o.getInvalidUtf8() == PreprocessCorpusOptions.InvalidUtf8.DROP,
            o.getMaxDocumentBytes(),
            o.getTooLong() == PreprocessCorpusOptions.TooLong.TRUNCATE);
    PCollectionTuple read = p.apply("ReadDocuments", new ReadDocumentsTransform(files, policy));
    PCollectionTuple cleaned =
        read.get(ReadDocumentsTransform.DOCUMENTS)
            .apply(
                "CleanDocuments", new CleanDocumentsTransform(policy, o.getValidationFraction()));
    PCollection<CleanDocument> docs = cleaned.get(CleanDocumentsTransform.CLEAN);

    PCollection<String> json =
        tokenizerJson != null
            ? p.apply("GivenTokenizer", Create.of(tokenizerJson))
            : docs.apply("TrainSplit", Filter.by(d -> Splits.TRAIN.equals(d.split())))
                .apply(
                    "TrainTokenizer",
                    new TrainTokenizerTransform(
                        o.getVocabSize(), o.getTokenizerMaxWords(), o.getMinPairCount()));
    PCollectionView<String> tokenizer = json.apply("TokenizerView", View.asSingleton());

    PCollection<TokenizedDocument> tokenized =
        docs.apply("Tokenize", new TokenizeTransform(tokenizer));
    PCollectionView<Map<String, Long>> splitTokens =
        tokenized
            .apply(
                "TokensPerDoc",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via(d -> KV.of(d.split(), (long) d.tokens().length)))
            .apply("TokensPerSplit", Sum.longsPerKey())
            .apply("SplitTokensView", View.asMap());

    PCollectionTuple packed =
        tokenized.apply(
            "Pack",
            new PackSequencesTransform(
                o.getSeqLen(), o.getSeed(), o.getShardTokens(), o.getDedupe(), splitTokens));
    PCollection<ShardFile> shards =
        packed
            .get(PackSequencesTransform.SEQUENCES)
            .apply(
                "WriteShards", new WriteShardsTransform(layout, o.getShardTokens(), splitTokens));

    PCollection<KV<String, Long>> events =
        PCollectionList.of(read.get(ReadDocumentsTransform.EVENTS))
            .and(cleaned.get(CleanDocumentsTransform.EVENTS))
            .apply("AllEvents", Flatten.pCollections())
            .apply("CountEvents", Count.perElement());
    PCollectionView<Map<String, Long>> stats =
        PCollectionList.of(events)
            .and(packed.get(PackSequencesTransform.STATS))
            .apply("AllStats", Flatten.pCollections())
            .apply("SumStats", Sum.longsPerKey())
            .apply("StatsView", View.asMap());

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
            new CommitTokensTransform.Inputs(
                layout, template, o.getShardTokens(), tokenizer, splitTokens, stats)));
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
