package dev.midas.plan.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RunLayoutTest {
  private final RunLayout run = new RunLayout("tiny-midas", "3f1c2a9e-0000-4000-8000-00000000abcd");

  @Test
  void keysFollowTheLayoutContract() {
    String base = "runs/tiny-midas/3f1c2a9e-0000-4000-8000-00000000abcd/";

    assertThat(run.specKey()).isEqualTo(base + "spec");
    assertThat(run.checkpointPrefix(2, 1500))
        .isEqualTo(base + "stages/stage-02/ckpt/step-000001500/");
    assertThat(run.grownPrefix(1)).isEqualTo(base + "stages/stage-01/grown/");
    assertThat(run.heartbeatKey(12)).isEqualTo(base + "stages/stage-12/heartbeat");
    assertThat(run.resultKey(3)).isEqualTo(base + "stages/stage-03/result.json");
    assertThat(run.reportPrefix()).isEqualTo(base + "report/");
    assertThat(RunLayout.manifestKey(run.grownPrefix(1)))
        .isEqualTo(base + "stages/stage-01/grown/MANIFEST");
  }

  @Test
  void namesThatCouldEscapeOrBreakPathsAreRefused() {
    assertThatThrownBy(() -> new RunLayout("../etc", "u1"))
        .hasMessageContaining("experiment name '../etc' may only hold a-z, 0-9 and '-'");
    assertThatThrownBy(() -> new RunLayout("Exp", "u1")).hasMessageContaining("'Exp'");
    assertThatThrownBy(() -> new RunLayout("e", "x".repeat(64)))
        .hasMessageContaining("is 64 characters; at most 63");
    assertThatThrownBy(() -> new RunLayout("e", "-u")).hasMessageContaining("'-u'");
  }

  @Test
  void stageAndStepOutsideTheirWidthsAreRefused() {
    assertThatThrownBy(() -> run.stagePrefix(0)).hasMessageContaining("stage 0 is outside 1..99");
    assertThatThrownBy(() -> run.checkpointPrefix(1, 1_000_000_000L))
        .hasMessageContaining("outside 0..999999999");
  }

  @Test
  void stepIsReadBackFromAKeyInACheckpointFolder() {
    assertThat(RunLayout.stepOf(run.checkpointPrefix(1, 42) + "MANIFEST")).hasValue(42);
    assertThat(RunLayout.stepOf(run.grownPrefix(1) + "MANIFEST")).isEmpty();
    assertThat(RunLayout.folderOf(run.checkpointPrefix(1, 42) + "MANIFEST"))
        .isEqualTo(run.checkpointPrefix(1, 42));
  }
}
