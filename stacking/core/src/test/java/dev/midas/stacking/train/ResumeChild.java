package dev.midas.stacking.train;

import dev.midas.checkpoint.CheckpointMeta;
import dev.midas.checkpoint.CheckpointStore;
import dev.midas.checkpoint.TrainState;
import dev.midas.proto.CheckpointKind;
import dev.midas.store.FileObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The process the crash test kills: trains the testing run from a fresh state for many steps,
 * committing a periodic checkpoint to a {@code file://} checkpoint store every {@code every} steps,
 * until it is killed.
 *
 * <p>Arguments: store root folder, checkpoint interval, steps.
 */
public final class ResumeChild {
  private ResumeChild() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("ai.djl.offline", "true");
    CheckpointStore store = new CheckpointStore(new FileObjectStore(Path.of(args[0])));
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
              store.save(
                  ResumeAfterKillTest.RUN,
                  1,
                  CheckpointKind.CHECKPOINT_KIND_PERIODIC,
                  s,
                  CheckpointMeta.of(ResumeAfterKillTest.SEED));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        });
  }
}
