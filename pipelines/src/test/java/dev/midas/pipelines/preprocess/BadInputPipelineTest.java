package dev.midas.pipelines.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.pipelines.testing.TestingCorpus;
import dev.midas.pipelines.testing.TestingOptions;
import dev.midas.proto.DatasetManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus folder with a binary file, invalid UTF-8, empty files and one huge single-line file: the
 * pipeline completes and the manifest's counts say what happened to each.
 */
class BadInputPipelineTest {
  @TempDir Path corpus;
  @TempDir Path out;

  private DatasetManifest runWithHugeLine(long hugeBytes) throws Exception {
    for (Path f : TestingCorpus.brownFiles(6)) {
      Files.copy(f, corpus.resolve(f.getFileName() + ".txt"));
    }
    byte[] noise = new byte[64 << 10];
    new Random(1).nextBytes(noise);
    Files.write(corpus.resolve("photo.jpg"), noise);
    Files.write(
        corpus.resolve("latin1.txt"),
        "Voil\u00e0 un caf\u00e9 tr\u00e8s cr\u00e8me.".getBytes(StandardCharsets.ISO_8859_1));
    Files.write(corpus.resolve("empty.txt"), new byte[0]);
    Files.writeString(corpus.resolve("blank.txt"), "\n\n   \n");
    ReadAndCleanTransformsTest.writeLine(corpus.resolve("one-line.txt"), hugeBytes);
    return PreprocessCorpusPipeline.run(
        TestingOptions.preprocess(
            "--input=" + corpus + "/*",
            "--output=" + out.toUri(), // file:///...: the URI form of a local output
            "--maxDocumentBytes=" + (1 << 20),
            "--vocabSize=300",
            "--seqLen=32",
            "--validationFraction=0.2"));
  }

  @Test
  void completesAndCountsBinaryInvalidEmptyAndOversizedInput() throws Exception {
    DatasetManifest m = runWithHugeLine(5L << 20);
    assertThat(m.getDropsMap())
        .containsEntry("binary", 1L)
        .containsEntry("repaired_invalid_utf8", 1L)
        .containsEntry("empty", 2L)
        .containsEntry("too_long", 1L);
    assertThat(m.getSplits(0).getDocuments() + m.getSplits(1).getDocuments()).isEqualTo(7);
    assertThat(m.getSplits(0).getSequences()).isPositive();
    assertThat(out.resolve("data/corpus/v1/MANIFEST")).exists();
  }

  @Test
  @Tag("long")
  void aFiftyMegabyteSingleLineFileIsCountedNotLoaded() throws Exception {
    DatasetManifest m = runWithHugeLine(50L << 20);
    assertThat(m.getDropsMap()).containsEntry("too_long", 1L).containsEntry("binary", 1L);
    assertThat(m.getSplits(0).getDocuments() + m.getSplits(1).getDocuments()).isEqualTo(7);
  }
}
