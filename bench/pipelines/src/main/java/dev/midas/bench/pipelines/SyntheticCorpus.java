package dev.midas.bench.pipelines;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a deterministic English-like JSONL corpus ({@code {"text": ...}} a line) of a given size:
 * words drawn from a Zipf distribution over a fixed vocabulary of syllable words, sentences and
 * paragraphs, numbers, a steady share of never-seen words (so the distinct pre-tokens keep growing
 * with the corpus, as real text does) and about 1% exact duplicate documents. The same seed and
 * size give the same bytes.
 */
final class SyntheticCorpus {
  private static final String[] SYLLABLES = {
    "ka", "ri", "to", "ne", "sa", "mo", "lu", "pe", "di", "ga", "the", "an", "or", "in", "est",
    "ing", "ter", "con", "al", "re", "de", "ex", "pro", "ment", "tion", "ly", "er", "ous", "ble",
    "st"
  };
  private static final int VOCABULARY = 40_000;

  private final SplittableRandom random;
  private final String[] words = new String[VOCABULARY];
  private final double[] cumulative = new double[VOCABULARY];

  SyntheticCorpus(long seed) {
    random = new SplittableRandom(seed);
    double total = 0;
    for (int i = 0; i < VOCABULARY; i++) {
      words[i] = word(1 + random.nextInt(4));
      total += 1.0 / Math.pow(i + 1, 1.07);
      cumulative[i] = total;
    }
    for (int i = 0; i < VOCABULARY; i++) {
      cumulative[i] /= total;
    }
  }

  /** Writes about {@code bytes} bytes (whole documents) to {@code file}; returns the documents. */
  long write(Path file, long bytes) throws IOException {
    long documents = 0;
    List<String> recent = new ArrayList<>();
    try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
        CountingStream counted = new CountingStream(raw);
        JsonGenerator json = new JsonFactory().createGenerator(counted)) {
      while (counted.count() < bytes) {
        String text;
        if (!recent.isEmpty() && random.nextInt(100) == 0) {
          text = recent.get(random.nextInt(recent.size())); // an exact duplicate
        } else {
          text = document();
          if (recent.size() < 64) {
            recent.add(text);
          } else {
            recent.set(random.nextInt(64), text);
          }
        }
        json.writeStartObject();
        json.writeStringField("id", "doc-" + documents);
        json.writeStringField("text", text);
        json.writeEndObject();
        json.writeRaw('\n');
        json.flush();
        documents++;
      }
    }
    return documents;
  }

  private String document() {
    StringBuilder b = new StringBuilder();
    int paragraphs = 1 + random.nextInt(8);
    for (int p = 0; p < paragraphs; p++) {
      int sentences = 2 + random.nextInt(10);
      for (int s = 0; s < sentences; s++) {
        int length = 4 + random.nextInt(24);
        for (int w = 0; w < length; w++) {
          String word = nextWord();
          if (w == 0) {
            word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
          } else {
            b.append(random.nextInt(12) == 0 ? ", " : " ");
          }
          b.append(word);
        }
        b.append(random.nextInt(10) == 0 ? "? " : ". ");
      }
      b.append("\n\n");
    }
    return b.toString().strip();
  }

  private String nextWord() {
    int r = random.nextInt(1000);
    if (r < 5) {
      return word(2 + random.nextInt(4)) + random.nextInt(100); // never seen before, mostly
    }
    if (r < 25) {
      return Integer.toString(random.nextInt(r < 15 ? 100 : 100_000));
    }
    double u = random.nextDouble();
    int lo = 0;
    int hi = VOCABULARY - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return words[lo];
  }

  private String word(int syllables) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < syllables; i++) {
      b.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
    }
    return b.toString();
  }

  /** Counts the bytes written through it. */
  private static final class CountingStream extends java.io.FilterOutputStream {
    private long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    long count() {
      return count;
    }
  }
}
