package dev.midas.pipelines.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.pipelines.corpus.CleaningPolicy;
import dev.midas.pipelines.corpus.InputFormat;
import dev.midas.pipelines.testing.TestingPipelines;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadAndCleanTransformsTest {
  @TempDir Path dir;

  @Test
  void badFilesAreDroppedOrRepairedAndEveryCaseIsCounted() throws IOException {
    Files.writeString(dir.resolve("good.txt"), "A good document.\n");
    Files.write(
        dir.resolve("latin1.txt"), "caf\u00e9 cr\u00e8me".getBytes(StandardCharsets.ISO_8859_1));
    Files.write(dir.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});
    Files.write(dir.resolve("empty.txt"), new byte[0]);
    Files.writeString(dir.resolve("blank.txt"), "  \n\n ");
    writeLine(dir.resolve("huge.txt"), 3 << 20); // one 3 MB line, over the 1 MB limit
    CleaningPolicy policy = new CleaningPolicy(InputFormat.TEXT, "text", false, 1 << 20, false);
    List<String> files = new ArrayList<>();
    try (var s = Files.list(dir)) {
      s.sorted().forEach(p -> files.add(p.toString()));
    }

    TestPipeline p = TestingPipelines.create();
    PCollectionTuple read = p.apply(new ReadDocumentsTransform(files, policy));
    PCollectionTuple clean =
        read.get(ReadDocumentsTransform.DOCUMENTS).apply(new CleanDocumentsTransform(policy, 0.0));
    PAssert.that(
            clean
                .get(CleanDocumentsTransform.CLEAN)
                .apply(MapElements.into(TypeDescriptors.strings()).via(CleanDocument::text)))
        .containsInAnyOrder("A good document.\n", "caf\uFFFD cr\uFFFDme");
    PAssert.that(read.get(ReadDocumentsTransform.EVENTS).apply("CountRead", Count.perElement()))
        .containsInAnyOrder(KV.of("too_long", 1L));
    PAssert.that(clean.get(CleanDocumentsTransform.EVENTS).apply("CountClean", Count.perElement()))
        .containsInAnyOrder(
            KV.of("binary", 1L), KV.of("empty", 2L), KV.of("repaired_invalid_utf8", 1L));
    p.run().waitUntilFinish();
  }

  @Test
  void jsonlLinesAreDocumentsAndTheSplitFollowsTheContentHash() throws IOException {
    Files.writeString(
        dir.resolve("docs.jsonl"),
        "{\"text\":\"one\"}\n{\"text\":\"two\"}\r\n{\"oops\":1}\nnot json\n{\"text\":\"one\"}");
    CleaningPolicy policy = CleaningPolicy.defaults(InputFormat.JSONL);
    TestPipeline p = TestingPipelines.create();
    PCollectionTuple clean =
        p.apply(new ReadDocumentsTransform(List.of(dir.resolve("docs.jsonl").toString()), policy))
            .get(ReadDocumentsTransform.DOCUMENTS)
            .apply(new CleanDocumentsTransform(policy, 0.5));
    PAssert.that(clean.get(CleanDocumentsTransform.CLEAN))
        .satisfies(
            docs -> {
              List<String> texts = new ArrayList<>();
              for (CleanDocument d : docs) {
                texts.add(d.text());
                assertThat(d.split()).isEqualTo(Splits.splitOf(d.sha256(), 0.5));
              }
              assertThat(texts).containsExactlyInAnyOrder("one", "two", "one");
              return null;
            });
    PAssert.that(clean.get(CleanDocumentsTransform.EVENTS).apply(Count.perElement()))
        .containsInAnyOrder(KV.of("missing_field", 1L), KV.of("bad_json", 1L));
    p.run().waitUntilFinish();
  }

  @Test
  void aLineFileSplitIntoByteRangesYieldsEveryLineExactlyOnce() throws IOException {
    // 200 lines of 0-80 bytes and one over the limit, cut into 97-byte ranges: range edges fall
    // inside lines, on their first byte, and just after a newline.
    StringBuilder text = new StringBuilder();
    List<String> expected = new ArrayList<>();
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < 200; i++) {
      String line = "line " + i + " " + "x".repeat(random.nextInt(75));
      expected.add(line);
      text.append(line).append(i % 7 == 0 ? "\r\n" : "\n");
      if (i == 100) {
        text.append("y".repeat(500)).append('\n');
      }
    }
    Files.writeString(dir.resolve("big.txt"), text.toString());
    CleaningPolicy policy = new CleaningPolicy(InputFormat.LINES, "text", false, 300, false);
    TestPipeline p = TestingPipelines.create();
    PCollectionTuple read =
        p.apply(new ReadDocumentsTransform(List.of(dir.resolve("big.txt").toString()), policy, 97));
    PAssert.that(
            read.get(ReadDocumentsTransform.DOCUMENTS)
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(b -> new String(b, StandardCharsets.UTF_8))))
        .containsInAnyOrder(expected);
    PAssert.that(read.get(ReadDocumentsTransform.EVENTS)).containsInAnyOrder("too_long");
    p.run().waitUntilFinish();
  }

  @Test
  void aFileThatFailsInSeveralRangesIsCountedUnreadableOnce() throws IOException {
    // Two files gone after their ranges were planned (3 and 2 ranges) next to a readable one: two
    // unreadable files, not five, and the readable file's documents all arrive.
    Files.writeString(dir.resolve("ok.jsonl"), "{\"text\":\"kept\"}\n{\"text\":\"also\"}\n");
    String gone = dir.resolve("gone.jsonl").toString();
    String lost = dir.resolve("lost.jsonl").toString();
    List<ReadDocumentsTransform.FileRange> ranges =
        List.of(
            new ReadDocumentsTransform.FileRange(gone, 0, 100, Compression.UNCOMPRESSED),
            new ReadDocumentsTransform.FileRange(gone, 100, 200, Compression.UNCOMPRESSED),
            new ReadDocumentsTransform.FileRange(gone, 200, 300, Compression.UNCOMPRESSED),
            new ReadDocumentsTransform.FileRange(lost, 0, 100, Compression.UNCOMPRESSED),
            new ReadDocumentsTransform.FileRange(lost, 100, 200, Compression.UNCOMPRESSED),
            new ReadDocumentsTransform.FileRange(
                dir.resolve("ok.jsonl").toString(), 0, Long.MAX_VALUE, Compression.UNCOMPRESSED));
    CleaningPolicy policy = CleaningPolicy.defaults(InputFormat.JSONL);
    TestPipeline p = TestingPipelines.create();
    PCollectionTuple read =
        p.apply(
                Create.of(ranges)
                    .withCoder(SerializableCoder.of(ReadDocumentsTransform.FileRange.class)))
            .apply(new ReadDocumentsTransform.ReadRanges(policy));
    PAssert.that(read.get(ReadDocumentsTransform.EVENTS).apply(Count.perElement()))
        .containsInAnyOrder(KV.of("unreadable", 2L));
    PAssert.that(
            read.get(ReadDocumentsTransform.DOCUMENTS)
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(b -> new String(b, StandardCharsets.UTF_8))))
        .containsInAnyOrder("{\"text\":\"kept\"}", "{\"text\":\"also\"}");
    p.run().waitUntilFinish();
  }

  static void writeLine(Path file, long bytes) throws IOException {
    byte[] chunk = new byte[1 << 16];
    java.util.Arrays.fill(chunk, (byte) 'x');
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = bytes; left > 0; left -= chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    }
  }
}
