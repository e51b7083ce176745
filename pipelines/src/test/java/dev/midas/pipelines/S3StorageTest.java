package dev.midas.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.pipelines.dataset.DatasetLayout;
import dev.midas.pipelines.dataset.ManifestJson;
import dev.midas.pipelines.preprocess.PreprocessCorpusOptions;
import dev.midas.pipelines.preprocess.PreprocessCorpusPipeline;
import dev.midas.pipelines.primitives.GeneratePrimitivesOptions;
import dev.midas.pipelines.primitives.GeneratePrimitivesPipeline;
import dev.midas.pipelines.storage.Storage;
import dev.midas.pipelines.testing.TestingCorpus;
import dev.midas.pipelines.testing.TestingOptions;
import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import dev.midas.store.S3ProxyStore;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.MimeTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Both pipelines reading and writing s3:// (S3Proxy in-process) as they do local paths. */
class S3StorageTest {
  @RegisterExtension static final S3ProxyStore S3 = new S3ProxyStore();
  @TempDir Path local;

  @Test
  void corpusOnS3BecomesTheSameDatasetOnS3AsLocally() throws Exception {
    PreprocessCorpusOptions upload =
        TestingOptions.preprocess(TestingOptions.smallBrown("unused", "unused", s3Args()));
    Storage.configure(upload);
    for (Path f : TestingCorpus.brownFiles(6)) {
      try (WritableByteChannel out =
          FileSystems.create(
              FileSystems.matchNewResource(uri("corpus/" + f.getFileName()), false),
              MimeTypes.TEXT)) {
        out.write(ByteBuffer.wrap(Files.readAllBytes(f)));
      }
    }

    DatasetManifest onS3 =
        PreprocessCorpusPipeline.run(
            TestingOptions.preprocess(
                TestingOptions.smallBrown(uri("corpus/ca*"), uri("store"), s3Args())));
    DatasetManifest onDisk =
        PreprocessCorpusPipeline.run(
            TestingOptions.preprocess(
                TestingOptions.smallBrown(
                    TestingCorpus.brownDir() + "/ca0[1-6]", local.toString())));

    assertThat(onS3.getContentSha256()).isEqualTo(onDisk.getContentSha256());
    Storage.configure(upload); // the local run left FileSystems configured without the endpoint
    assertThat(onS3.getSourcesList()).containsExactly(uri("corpus/ca*"));
    String dir = uri("store/data/corpus/v1/");
    assertThat(ManifestJson.read(FileSystems.matchNewResource(dir + DatasetLayout.MANIFEST, false)))
        .isEqualTo(onS3);
    for (FileEntry f : onS3.getFilesList()) {
      MatchResult.Metadata md = FileSystems.matchSingleFileSpec(dir + f.getPath());
      assertThat(md.sizeBytes()).isEqualTo(f.getSize());
    }
  }

  @Test
  void primitivesAreCommittedToS3() throws Exception {
    List<String> args = new ArrayList<>(List.of("--output=" + uri("store"), "--evalInstances=5"));
    args.addAll(List.of(s3Args()));
    GeneratePrimitivesOptions o =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(GeneratePrimitivesOptions.class);
    DatasetManifest m = GeneratePrimitivesPipeline.run(o);
    Storage.configure(o);
    assertThat(m.getFilesList())
        .extracting(f -> f.getPath().substring(f.getPath().indexOf('/') + 1))
        .containsExactly(
            "eval-00000-of-00001.tfrecord",
            "fewshot-00000-of-00001.tfrecord",
            "finetune-00000-of-00001.tfrecord");
    assertThat(
            FileSystems.matchSingleFileSpec(uri("store/data/primitives/v1/MANIFEST")).sizeBytes())
        .isPositive();
  }

  /** The pipeline arguments that reach the S3Proxy (path-style is the pipelines' default). */
  private static String[] s3Args() {
    return new String[] {"--endpoint=" + S3.endpoint(), "--awsRegion=us-east-1"};
  }

  private static String uri(String key) {
    return S3.root(key).toString();
  }
}
