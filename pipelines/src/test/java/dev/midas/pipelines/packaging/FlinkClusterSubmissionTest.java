package dev.midas.pipelines.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.pipelines.preprocess.PreprocessCorpusPipeline;
import dev.midas.pipelines.testing.TestingCorpus;
import dev.midas.pipelines.testing.TestingOptions;
import dev.midas.proto.DatasetManifest;
import java.net.URI;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submission to a running Flink 1.19 cluster through its REST endpoint ({@code
 * --flinkMaster=host:port}), twice in a row on the same TaskManager, as on a session cluster.
 */
@Tag("long")
class FlinkClusterSubmissionTest {
  @TempDir Path first;
  @TempDir Path second;

  @Test
  void twoJobsOnOneSessionClusterWriteTheSameDataset() throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_PORT, "0");
    try (MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build())) {
      cluster.start();
      URI rest = cluster.getRestAddress().get();
      String master = "--flinkMaster=" + rest.getHost() + ":" + rest.getPort();
      DatasetManifest[] runs = new DatasetManifest[2];
      Path[] outs = {first, second};
      for (int i = 0; i < 2; i++) {
        runs[i] =
            PreprocessCorpusPipeline.run(
                TestingOptions.preprocess(
                    TestingOptions.smallBrown(
                        TestingCorpus.brownDir() + "/cb0[0-9]",
                        outs[i].toString(),
                        "--runner=FlinkRunner",
                        master,
                        "--parallelism=2")));
      }
      assertThat(runs[1].getContentSha256()).isEqualTo(runs[0].getContentSha256());
    }
  }
}
