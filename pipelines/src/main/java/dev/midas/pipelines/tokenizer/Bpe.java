package dev.midas.pipelines.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.midas.pipelines.dataset.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A {@code tokenizer.json} loaded into DJL's HuggingFace tokenizers (Rust, offline), configured for
 * language-model data: no truncation, no padding, no added special tokens. The public way for any
 * module to tokenize exactly as the pipelines did; it holds no Beam types.
 *
 * <pre>{@code
 * try (Bpe bpe = Bpe.load(Path.of("tokenizer.json"))) {
 *   int[] ids = bpe.encode("Hello");
 *   String back = bpe.decode(ids); // "Hello"
 * }
 * }</pre>
 */
public final class Bpe implements AutoCloseable {
  private static final Map<String, String> OPTIONS =
      Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

  static {
    // Never let DJL reach for the network from a pipeline worker or a trainer.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    NativeLibrary.load();
  }

  private final HuggingFaceTokenizer tokenizer;
  private final String sha256;
  private final int eosId;
  private final int vocabSize;

  private Bpe(HuggingFaceTokenizer tokenizer, String sha256, int eosId, int vocabSize) {
    this.tokenizer = tokenizer;
    this.sha256 = sha256;
    this.eosId = eosId;
    this.vocabSize = vocabSize;
  }

  /** Loads a tokenizer file whose end-of-text token is {@value BpeModel#DEFAULT_EOS}. */
  public static Bpe load(Path tokenizerJson) throws IOException {
    return fromJson(Files.readString(tokenizerJson, StandardCharsets.UTF_8));
  }

  public static Bpe fromJson(String json) {
    return fromJson(json, BpeModel.DEFAULT_EOS);
  }

  /** Loads tokenizer JSON text; {@code eosToken} must be one of its added tokens. */
  public static Bpe fromJson(String json, String eosToken) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new InvalidTokenizerException("tokenizer.json is not valid JSON: " + e.getMessage());
    }
    int eos = -1;
    int maxId = -1;
    for (JsonNode added : root.path("added_tokens")) {
      maxId = Math.max(maxId, added.path("id").asInt());
      if (eosToken.equals(added.path("content").asText())) {
        eos = added.path("id").asInt();
      }
    }
    if (eos < 0) {
      throw new InvalidTokenizerException(
          "tokenizer.json has no end-of-text token '" + eosToken + "' among its added_tokens");
    }
    for (Iterator<JsonNode> it = root.path("model").path("vocab").elements(); it.hasNext(); ) {
      maxId = Math.max(maxId, it.next().asInt());
    }
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    try {
      HuggingFaceTokenizer tokenizer =
          HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes), OPTIONS);
      return new Bpe(tokenizer, Sha256.hex(bytes), eos, maxId + 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new InvalidTokenizerException("tokenizers could not load tokenizer.json: " + e);
    }
  }

  // Ids only, through DJL's public JNI binding: HuggingFaceTokenizer.encode also copies every
  // token string, offset and mask into Java, which halves the throughput for nothing we use.
  public int[] encode(String text) {
    long encoding = TokenizersLibrary.LIB.encode(tokenizer.getHandle(), text, false);
    try {
      return toInts(TokenizersLibrary.LIB.getTokenIds(encoding));
    } finally {
      TokenizersLibrary.LIB.deleteEncoding(encoding);
    }
  }

  /** Encodes many texts in one native call (the Rust side parallelises across them). */
  public int[][] encodeBatch(List<String> texts) {
    long[] encodings =
        TokenizersLibrary.LIB.batchEncode(
            tokenizer.getHandle(), texts.toArray(String[]::new), false);
    int[][] out = new int[encodings.length][];
    for (int i = 0; i < encodings.length; i++) {
      out[i] = toInts(TokenizersLibrary.LIB.getTokenIds(encodings[i]));
      TokenizersLibrary.LIB.deleteEncoding(encodings[i]);
    }
    return out;
  }

  /** Decodes ids back to text, special tokens included (so EOS shows as its token text). */
  public String decode(int[] ids) {
    long[] longs = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      longs[i] = ids[i];
    }
    return tokenizer.decode(longs, false);
  }

  public int eosId() {
    return eosId;
  }

  /** One more than the largest id in the vocabulary or the added tokens. */
  public int vocabSize() {
    return vocabSize;
  }

  /** SHA-256 of the tokenizer.json bytes (UTF-8): what manifests record. */
  public String sha256() {
    return sha256;
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  private static int[] toInts(long[] ids) {
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }
}
