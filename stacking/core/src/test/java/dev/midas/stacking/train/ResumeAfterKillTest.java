package dev.midas.stacking.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.checkpoint.TrainState;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeAfterKillTest {
  static final long SEED = 7;
  static final int WINDOWS = 40;
  private static final long TOTAL = 12;
  private static final long KILL_AFTER = 5;

  @Test
  void resumesAfterSigkillBitForBitIdenticalToAnUninterruptedRun(@TempDir Path dir)
      throws Exception {
    TrainConfig c = TestingRuns.config();
    TrainState straight =
        Trainer.train(
                TrainStates.fresh(TestingRuns.model(), SEED),
                TestingRuns.data(WINDOWS),
                c,
                TOTAL,
                TrainListener.NONE)
            .state();

    Process child = startChild(dir);
    Path checkpoint = dir.resolve("step-" + KILL_AFTER + ".state");
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.exists(checkpoint) && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      if (!Files.exists(checkpoint)) {
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            "the child wrote no checkpoint; its output:\n"
                + Files.readString(dir.resolve("child.log")));
      }
      assertThat(child.isAlive()).as("the child is still training when killed").isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    TrainState restored = TestingStateFiles.read(checkpoint);
    assertThat(restored.position().getGlobalStep()).isEqualTo(KILL_AFTER);
    TrainState resumed =
        Trainer.train(
                restored, TestingRuns.data(WINDOWS), c, TOTAL - KILL_AFTER, TrainListener.NONE)
            .state();
    TrainerTest.assertSameState(resumed, straight);
  }

  private static Process startChild(Path dir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        List.of(
            java,
            "-Dai.djl.offline=true",
            "-Xmx1g",
            "-cp",
            System.getProperty("java.class.path"),
            ResumeChild.class.getName(),
            dir.toString(),
            Long.toString(KILL_AFTER),
            "1000000");
    File log = dir.resolve("child.log").toFile();
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
  }
}
