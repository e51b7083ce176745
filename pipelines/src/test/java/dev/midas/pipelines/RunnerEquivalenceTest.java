package dev.midas.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.pipelines.preprocess.PreprocessCorpusPipeline;
import dev.midas.pipelines.primitives.GeneratePrimitivesOptions;
import dev.midas.pipelines.primitives.GeneratePrimitivesPipeline;
import dev.midas.pipelines.testing.TestingCorpus;
import dev.midas.pipelines.testing.TestingOptions;
import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import dev.midas.proto.ReasoningExample;
import dev.midas.stacking.data.TfRecordReader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both pipelines, unchanged, on the DirectRunner and on an embedded Flink cluster. */
class RunnerEquivalenceTest {
  @TempDir Path direct;
  @TempDir Path flink;

  private static String[] preprocessArgs(Path out, String... runner) {
    return TestingOptions.smallBrown(
        TestingCorpus.brownDir() + "/cb0[0-9]", out.toString(), runner);
  }

  @Test
  void preprocessingWritesIdenticalShardsOnDirectAndFlink() {
    DatasetManifest onDirect =
        PreprocessCorpusPipeline.run(TestingOptions.preprocess(preprocessArgs(direct)));
    DatasetManifest onFlink =
        PreprocessCorpusPipeline.run(
            TestingOptions.preprocess(preprocessArgs(flink, TestingOptions.flink())));
    assertThat(onFlink.getContentSha256()).isEqualTo(onDirect.getContentSha256());
    assertThat(withoutRunFolders(onFlink)).isEqualTo(withoutRunFolders(onDirect));
    assertThat(onDirect.getSplits(0).getShards()).isGreaterThan(1);
  }

  @Test
  void primitivesAreIdenticalOnDirectAndFlinkAndReadable() throws Exception {
    DatasetManifest onDirect = GeneratePrimitivesPipeline.run(primitives(direct));
    DatasetManifest onFlink =
        GeneratePrimitivesPipeline.run(primitives(flink, TestingOptions.flink()));
    assertThat(withoutRunFolders(onFlink)).isEqualTo(withoutRunFolders(onDirect));

    assertThat(onDirect.getKind()).isEqualTo("primitives");
    List<ReasoningExample> finetune = new ArrayList<>();
    for (FileEntry f : onDirect.getFilesList()) {
      if (f.getPath().contains("/finetune-")) {
        try (InputStream in =
            Files.newInputStream(direct.resolve("data/primitives/v1/" + f.getPath()))) {
          TfRecordReader r = new TfRecordReader(in, f.getPath());
          for (byte[] b = r.next(); b != null; b = r.next()) {
            finetune.add(ReasoningExample.parseFrom(b));
          }
        }
      }
    }
    // 8 task configurations x a pool of 256 fine-tune examples (3 seeds of 64, and room).
    assertThat(finetune).hasSize(8 * 256);
    assertThat(finetune)
        .extracting(ReasoningExample::getTask)
        .contains("induction_copying", "variable_assignment", "psm");
    assertThat(onDirect.getSplitsList())
        .extracting(s -> s.getName() + "=" + s.getDocuments())
        .containsExactly("fewshot=40", "eval=80", "finetune=2048");
  }

  /** The manifest with file paths relative to the run's folder, which each run names anew. */
  static DatasetManifest withoutRunFolders(DatasetManifest m) {
    DatasetManifest.Builder b = m.toBuilder().clearFiles();
    for (FileEntry f : m.getFilesList()) {
      b.addFiles(f.toBuilder().setPath(f.getPath().substring(f.getPath().indexOf('/') + 1)));
    }
    return b.build();
  }

  private static GeneratePrimitivesOptions primitives(Path out, String... runner) {
    List<String> args =
        new ArrayList<>(List.of("--output=" + out, "--evalInstances=10", "--fewshotPool=5"));
    args.addAll(List.of(runner));
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .withValidation()
        .as(GeneratePrimitivesOptions.class);
  }
}
