package dev.midas.stacking.eval;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset's {@code tokenizer.json} loaded with DJL's HuggingFace tokenizers (Rust natives inside
 * the jar, no network): no special tokens added, no truncation, so ids are exactly the text's.
 */
public final class TokenizerCodec implements TextCodec, AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final int eosId;

  private TokenizerCodec(HuggingFaceTokenizer tokenizer, int eosId) {
    this.tokenizer = tokenizer;
    this.eosId = eosId;
  }

  /** Loads a {@code tokenizer.json}; {@code eosId} comes from the dataset manifest. */
  public static TokenizerCodec load(Path tokenizerJson, int eosId) throws IOException {
    HuggingFaceTokenizer t =
        HuggingFaceTokenizer.builder()
            .optTokenizerPath(tokenizerJson)
            .optAddSpecialTokens(false)
            .optTruncation(false)
            .optPadding(false)
            .build();
    return new TokenizerCodec(t, eosId);
  }

  @Override
  public int[] encode(String text) {
    long[] ids = tokenizer.encode(text, false, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  @Override
  public String decode(int[] ids) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      l[i] = ids[i];
    }
    return tokenizer.decode(l, false);
  }

  @Override
  public int eosId() {
    return eosId;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
