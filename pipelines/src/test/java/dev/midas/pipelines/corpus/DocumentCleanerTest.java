package dev.midas.pipelines.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DocumentCleanerTest {
  private final DocumentCleaner text =
      new DocumentCleaner(CleaningPolicy.defaults(InputFormat.TEXT));

  @Test
  void dropsBinaryContentByItsNulBytes() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H'};
    assertThat(text.clean(png).text()).isNull();
    assertThat(text.clean(png).events()).containsExactly(CleaningEvent.BINARY);
  }

  @Test
  void replacesInvalidUtf8ByDefaultAndCountsTheRepair() {
    byte[] latin1 = "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1);
    DocumentCleaner.Cleaned cleaned = text.clean(latin1);
    assertThat(cleaned.text()).isEqualTo("caf\uFFFD au lait");
    assertThat(cleaned.events()).containsExactly(CleaningEvent.REPAIRED_INVALID_UTF8);
  }

  @Test
  void dropsInvalidUtf8WhenAskedTo() {
    DocumentCleaner strict =
        new DocumentCleaner(new CleaningPolicy(InputFormat.TEXT, "text", true, 1000, false));
    byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(strict.clean(latin1).text()).isNull();
    assertThat(strict.clean(latin1).events()).containsExactly(CleaningEvent.INVALID_UTF8);
  }

  @Test
  void normalizesToNfcAndCountsIt() {
    DocumentCleaner.Cleaned cleaned = text.clean("cafe\u0301".getBytes(StandardCharsets.UTF_8));
    assertThat(cleaned.text()).isEqualTo("caf\u00e9");
    assertThat(cleaned.events()).containsExactly(CleaningEvent.REPAIRED_NFC);
  }

  @Test
  void dropsEmptyAndBlankDocuments() {
    assertThat(text.clean(new byte[0]).events()).containsExactly(CleaningEvent.EMPTY);
    assertThat(text.clean(" \n\t ".getBytes(StandardCharsets.UTF_8)).events())
        .containsExactly(CleaningEvent.EMPTY);
  }

  @Test
  void readsTheConfiguredJsonFieldAndReportsBadLines() {
    DocumentCleaner jsonl =
        new DocumentCleaner(new CleaningPolicy(InputFormat.JSONL, "body", false, 1000, false));
    assertThat(jsonl.clean("{\"body\":\"hello\",\"id\":1}".getBytes(StandardCharsets.UTF_8)).text())
        .isEqualTo("hello");
    assertThat(jsonl.clean("{\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8)).events())
        .containsExactly(CleaningEvent.MISSING_FIELD);
    assertThat(jsonl.clean("{not json".getBytes(StandardCharsets.UTF_8)).events())
        .containsExactly(CleaningEvent.BAD_JSON);
  }

  @Test
  void stripsBrownTagsThroughTheBrownFormat() {
    DocumentCleaner brown = new DocumentCleaner(CleaningPolicy.defaults(InputFormat.BROWN));
    String tagged = "\n\n\tThe/at jury/nn said/vbd ``/`` yes/rb ''/'' ./.\n\n";
    assertThat(brown.clean(tagged.getBytes(StandardCharsets.UTF_8)).text())
        .isEqualTo("The jury said \"yes\".\n");
  }
}
