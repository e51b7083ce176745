package dev.midas.pipelines.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Writes a {@link BpeModel} as a HuggingFace {@code tokenizer.json}: a BPE model behind the
 * ByteLevel pre-tokenizer and decoder, with the end-of-text token registered as a special added
 * token. No normalizer: text is NFC-normalised by the pipeline before it gets here, and leaving it
 * out keeps {@code decode(encode(text)) == text} for any text.
 */
public final class TokenizerJson {
  private TokenizerJson() {}

  /** The JSON text; deterministic (fixed key order, vocabulary in id order). */
  public static String write(BpeModel model) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("version", "1.0");
      g.writeNullField("truncation");
      g.writeNullField("padding");
      g.writeArrayFieldStart("added_tokens");
      g.writeStartObject();
      g.writeNumberField("id", BpeModel.EOS_ID);
      g.writeStringField("content", model.eosToken());
      g.writeBooleanField("single_word", false);
      g.writeBooleanField("lstrip", false);
      g.writeBooleanField("rstrip", false);
      g.writeBooleanField("normalized", false);
      g.writeBooleanField("special", true);
      g.writeEndObject();
      g.writeEndArray();
      g.writeNullField("normalizer");
      g.writeFieldName("pre_tokenizer");
      byteLevel(g);
      g.writeNullField("post_processor");
      g.writeFieldName("decoder");
      byteLevel(g);
      g.writeObjectFieldStart("model");
      g.writeStringField("type", "BPE");
      g.writeNullField("dropout");
      g.writeNullField("unk_token");
      g.writeNullField("continuing_subword_prefix");
      g.writeNullField("end_of_word_suffix");
      g.writeBooleanField("fuse_unk", false);
      g.writeBooleanField("byte_fallback", false);
      g.writeBooleanField("ignore_merges", false);
      g.writeObjectFieldStart("vocab");
      for (int id = 0; id < model.vocab().size(); id++) {
        g.writeNumberField(model.vocab().get(id), id);
      }
      g.writeEndObject();
      g.writeArrayFieldStart("merges");
      for (BpeModel.Merge m : model.merges()) {
        // Byte-level tokens never contain a space (it maps to 'Ġ'), so "left right" is unambiguous.
        g.writeString(m.left() + " " + m.right());
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void byteLevel(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "ByteLevel");
    g.writeBooleanField("add_prefix_space", false);
    g.writeBooleanField("trim_offsets", true);
    g.writeBooleanField("use_regex", true);
    g.writeEndObject();
  }
}
