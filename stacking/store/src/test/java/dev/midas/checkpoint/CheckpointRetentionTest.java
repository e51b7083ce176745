package dev.midas.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.CheckpointKind;
import dev.midas.store.TestingObjectStore;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointRetentionTest {
  private static final RunLayout RUN = new RunLayout("tiny", "u-1");
  private final TestingObjectStore store = new TestingObjectStore();
  private final CheckpointStore ckpts = new CheckpointStore(store);

  private URI save(int stage, long step, CheckpointKind kind, String parent) throws Exception {
    return ckpts.save(
        RUN,
        stage,
        kind,
        TrainStates.random(step, 1, step, step),
        CheckpointMeta.of(1).withParent(parent));
  }

  private List<Long> remainingSteps(int stage) throws Exception {
    return store.list(RUN.checkpointsPrefix(stage)).stream()
        .filter(k -> k.endsWith("/MANIFEST"))
        .map(k -> RunLayout.stepOf(k).getAsLong())
        .toList();
  }

  @Test
  void keepsTheLastNPeriodicCheckpoints() throws Exception {
    for (long step = 10; step <= 50; step += 10) {
      save(1, step, CheckpointKind.CHECKPOINT_KIND_PERIODIC, "");
    }

    List<URI> deleted = ckpts.retain(RUN, 1, 2);

    assertThat(deleted).hasSize(3);
    assertThat(remainingSteps(1)).containsExactly(40L, 50L);
    assertThat(store.list(RUN.checkpointPrefix(1, 10))).isEmpty();
  }

  @Test
  void neverDeletesStageFinalOrGrownCheckpoints() throws Exception {
    URI fin = save(1, 10, CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL, "");
    save(1, 0, CheckpointKind.CHECKPOINT_KIND_GROWN, fin.toString());
    save(2, 20, CheckpointKind.CHECKPOINT_KIND_PERIODIC, "");
    save(2, 30, CheckpointKind.CHECKPOINT_KIND_PERIODIC, "");

    ckpts.retain(RUN, 1, 1);
    ckpts.retain(RUN, 2, 1);

    assertThat(remainingSteps(1)).containsExactly(10L);
    assertThat(new dev.midas.run.RunReader(store).grown(RUN, 1)).isPresent();
    assertThat(remainingSteps(2)).containsExactly(30L);
  }

  @Test
  void sparesACheckpointThatAKeptManifestNamesAsParent() throws Exception {
    URI resumedFrom = save(1, 10, CheckpointKind.CHECKPOINT_KIND_PERIODIC, "");
    save(1, 20, CheckpointKind.CHECKPOINT_KIND_PERIODIC, "");
    save(1, 30, CheckpointKind.CHECKPOINT_KIND_PERIODIC, resumedFrom.toString());

    ckpts.retain(RUN, 1, 1);

    assertThat(remainingSteps(1)).containsExactly(10L, 30L);
  }

  @Test
  void deletingRemovesTheManifestBeforeAnyFile() throws Exception {
    save(1, 10, CheckpointKind.CHECKPOINT_KIND_PERIODIC, "");
    save(1, 20, CheckpointKind.CHECKPOINT_KIND_PERIODIC, "");

    ckpts.retain(RUN, 1, 1);

    List<String> deletes =
        store.log().stream()
            .filter(l -> l.startsWith("DELETE") && l.contains("step-000000010"))
            .toList();
    assertThat(deletes.get(0)).endsWith("/MANIFEST");
    assertThat(deletes).hasSize(4);
  }
}
