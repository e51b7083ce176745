package dev.midas.stacking.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.checkpoint.CheckpointStore;
import dev.midas.checkpoint.TrainState;
import dev.midas.plan.layout.RunLayout;
import dev.midas.store.FileObjectStore;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeAfterKillTest {
  static final long SEED = 7;
  static final int WINDOWS = 40;
  static final RunLayout RUN = new RunLayout("resume", "u1");
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

    Path root = dir.resolve("store");
    CheckpointStore store = new CheckpointStore(new FileObjectStore(root));
    Process child = startChild(dir, root);
    Optional<URI> checkpoint = Optional.empty();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (checkpoint.isEmpty() && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
        checkpoint = new dev.midas.run.RunReader(store.objectStore()).latest(RUN, 1);
      }
      if (checkpoint.isEmpty()) {
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            "the child committed no checkpoint; its output:\n"
                + Files.readString(dir.resolve("child.log")));
      }
      assertThat(child.isAlive()).as("the child is still training when killed").isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    TrainState restored = store.load(checkpoint.get());
    assertThat(restored.position().getGlobalStep()).isEqualTo(KILL_AFTER);
    TrainState resumed =
        Trainer.train(
                restored, TestingRuns.data(WINDOWS), c, TOTAL - KILL_AFTER, TrainListener.NONE)
            .state();
    TrainerTest.assertSameState(resumed, straight);
  }

  private static Process startChild(Path dir, Path root) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        List.of(
            java,
            "-Dai.djl.offline=true",
            "-Xmx1g",
            "-cp",
            System.getProperty("java.class.path"),
            ResumeChild.class.getName(),
            root.toString(),
            Long.toString(KILL_AFTER),
            "1000000");
    File log = dir.resolve("child.log").toFile();
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
  }
}
