package dev.midas.stacking.train;

import dev.midas.checkpoint.TrainState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The process the crash test kills: trains the testing run from a fresh state for many steps,
 * writing {@code step-<global step>.state} every {@code every} steps, until it is killed.
 *
 * <p>Arguments: output folder, checkpoint interval, steps.
 */
public final class ResumeChild {
  private ResumeChild() {}

  public static void main(String[] args) {
    System.setProperty("ai.djl.offline", "true");
    Path dir = Path.of(args[0]);
    long every = Long.parseLong(args[1]);
    long steps = Long.parseLong(args[2]);
    TrainConfig c = TestingRuns.config().toBuilder().checkpointEvery(every).build();
    Trainer.train(
        TrainStates.fresh(TestingRuns.model(), ResumeAfterKillTest.SEED),
        TestingRuns.data(ResumeAfterKillTest.WINDOWS),
        c,
        steps,
        new TrainListener() {
          @Override
          public void onCheckpoint(TrainState s) {
            try {
              TestingStateFiles.write(
                  s, dir.resolve("step-" + s.position().getGlobalStep() + ".state"));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        });
  }
}
