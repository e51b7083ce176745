package dev.midas.pipelines.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one raw document's bytes into clean text, or says why it cannot: binary content, invalid
 * UTF-8 (replaced or dropped by policy), bad JSON, blank text. Text comes out NFC-normalised. Every
 * drop and repair is reported, so the pipeline can count it.
 */
public final class DocumentCleaner implements Serializable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SNIFF_BYTES = 8192;

  private final CleaningPolicy policy;

  public DocumentCleaner(CleaningPolicy policy) {
    this.policy = policy;
  }

  /** The outcome for one document: {@code text} is null when it was dropped. */
  public record Cleaned(String text, List<CleaningEvent> events) {
    static Cleaned dropped(List<CleaningEvent> events, CleaningEvent why) {
      events.add(why);
      return new Cleaned(null, events);
    }
  }

  public Cleaned clean(byte[] raw) {
    List<CleaningEvent> events = new ArrayList<>(2);
    if (looksBinary(raw)) {
      return Cleaned.dropped(events, CleaningEvent.BINARY);
    }
    String text = decodeStrict(raw);
    if (text == null) {
      if (policy.dropInvalidUtf8()) {
        return Cleaned.dropped(events, CleaningEvent.INVALID_UTF8);
      }
      events.add(CleaningEvent.REPAIRED_INVALID_UTF8);
      text = new String(raw, StandardCharsets.UTF_8); // replaces malformed input with U+FFFD
    }
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    switch (policy.format()) {
      case BROWN -> text = BrownText.untag(text);
      case JSONL -> {
        JsonNode node;
        try {
          node = JSON.readTree(text);
        } catch (IOException e) {
          return Cleaned.dropped(events, CleaningEvent.BAD_JSON);
        }
        if (node == null || !node.isObject()) {
          return Cleaned.dropped(events, CleaningEvent.BAD_JSON);
        }
        JsonNode field = node.get(policy.jsonField());
        if (field == null || !field.isTextual()) {
          return Cleaned.dropped(events, CleaningEvent.MISSING_FIELD);
        }
        text = field.asText();
      }
      case TEXT, LINES -> {}
    }
    if (!Normalizer.isNormalized(text, Normalizer.Form.NFC)) {
      text = Normalizer.normalize(text, Normalizer.Form.NFC);
      events.add(CleaningEvent.REPAIRED_NFC);
    }
    if (text.isBlank()) {
      return Cleaned.dropped(events, CleaningEvent.EMPTY);
    }
    return new Cleaned(text, events);
  }

  /**
   * Binary, as git decides it: a NUL byte, or mostly control characters, in the first 8 KiB (a
   * Latin-1 or broken-UTF-8 text file is not binary: it is invalid UTF-8).
   */
  static boolean looksBinary(byte[] raw) {
    int n = Math.min(raw.length, SNIFF_BYTES);
    int control = 0;
    for (int i = 0; i < n; i++) {
      int b = raw[i] & 0xff;
      if (b == 0) {
        return true;
      }
      if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') || b == 0x7f) {
        control++;
      }
    }
    return n > 0 && control * 10 > n * 3;
  }

  private static String decodeStrict(byte[] raw) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
