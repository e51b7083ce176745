package dev.midas.stacking.trained;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.midas.stacking.eval.TokenizerCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tokenizer of the dataset a run trained on: the verified bytes of its {@code tokenizer.json},
 * the end-of-text id from the dataset manifest and that token's text, and where it came from.
 */
public record RunTokenizer(
    String datasetManifest, byte[] tokenizerJson, String sha256, int eosId, String eosToken) {

  /** Reads the end-of-text token's text out of {@code tokenizer.json} (added or vocabulary). */
  static RunTokenizer of(String datasetManifest, byte[] json, String sha256, int eosId)
      throws IOException {
    JsonNode root = new ObjectMapper().readTree(json);
    for (JsonNode added : root.path("added_tokens")) {
      if (added.path("id").asInt(-1) == eosId) {
        return new RunTokenizer(
            datasetManifest, json, sha256, eosId, added.path("content").asText());
      }
    }
    var vocab = root.path("model").path("vocab").fields();
    while (vocab.hasNext()) {
      var e = vocab.next();
      if (e.getValue().asInt(-1) == eosId) {
        return new RunTokenizer(datasetManifest, json, sha256, eosId, e.getKey());
      }
    }
    throw new IOException(
        datasetManifest + ": its tokenizer.json has no token with the end-of-text id " + eosId);
  }

  /** The tokenizer loaded for encoding and decoding (DJL's HuggingFace tokenizers, offline). */
  public TokenizerCodec codec() throws IOException {
    Path tmp = Files.createTempFile("midas-tokenizer", ".json");
    try {
      Files.write(tmp, tokenizerJson);
      return TokenizerCodec.load(tmp, eosId);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
