package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.progress.Progress;
import dev.midas.pipelines.tokenizer.Bpe;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Encodes each document with the tokenizer given as a side input (DJL's HuggingFace tokenizers,
 * loaded once per worker process) and appends the end-of-text token.
 */
public class TokenizeTransform
    extends PTransform<PCollection<CleanDocument>, PCollection<TokenizedDocument>> {
  private final PCollectionView<String> tokenizerJson;

  public TokenizeTransform(PCollectionView<String> tokenizerJson) {
    this.tokenizerJson = tokenizerJson;
  }

  /** The documents and tokens this process has tokenized so far. */
  public static Progress progress() {
    return TokenizeFn.PROGRESS;
  }

  @Override
  public PCollection<TokenizedDocument> expand(PCollection<CleanDocument> docs) {
    return docs.apply(
        "Encode", ParDo.of(new TokenizeFn(tokenizerJson)).withSideInputs(tokenizerJson));
  }

  /** Encodes one document. */
  static class TokenizeFn extends DoFn<CleanDocument, TokenizedDocument> {
    static final Progress PROGRESS = new Progress("tokenize", 10_000);
    // One native tokenizer per distinct tokenizer.json per JVM: loading costs far more than a doc.
    private static final Map<String, Bpe> LOADED = new ConcurrentHashMap<>();

    private final Counter tokens = Metrics.counter(TokenizeFn.class, "tokens");
    private final Counter documents = Metrics.counter(TokenizeFn.class, "documents");
    private final PCollectionView<String> tokenizerJson;

    TokenizeFn(PCollectionView<String> tokenizerJson) {
      this.tokenizerJson = tokenizerJson;
    }

    @ProcessElement
    public void process(
        @Element CleanDocument doc, ProcessContext c, OutputReceiver<TokenizedDocument> out) {
      Bpe bpe = LOADED.computeIfAbsent(c.sideInput(tokenizerJson), Bpe::fromJson);
      int[] ids = bpe.encode(doc.text());
      int[] withEos = Arrays.copyOf(ids, ids.length + 1);
      withEos[ids.length] = bpe.eosId();
      documents.inc();
      tokens.inc(withEos.length);
      PROGRESS.add(1, withEos.length);
      out.output(new TokenizedDocument(doc.split(), doc.sha256(), withEos));
    }
  }
}
