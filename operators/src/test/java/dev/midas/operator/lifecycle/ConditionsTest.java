package dev.midas.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.events.ConditionReason;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Conditions follow Kubernetes' conventions: one entry per type, whose lastTransitionTime moves
 * only when its status changes, while reason, message and observedGeneration follow each update.
 */
class ConditionsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void transitionTimeMovesOnlyWhenTheStatusChanges() {
    List<Condition> conditions = new ArrayList<>();
    Conditions.set(
        conditions, Conditions.STALLED, true, ConditionReason.Unschedulable, "no node", 1L, T0);
    Conditions.set(
        conditions,
        Conditions.STALLED,
        true,
        ConditionReason.ImagePullBackOff,
        "cannot pull",
        2L,
        T0.plusSeconds(60));

    assertThat(conditions).singleElement();
    Condition still = conditions.get(0);
    assertThat(still.getLastTransitionTime()).isEqualTo(T0.toString());
    assertThat(still.getReason()).isEqualTo("ImagePullBackOff");
    assertThat(still.getMessage()).isEqualTo("cannot pull");
    assertThat(still.getObservedGeneration()).isEqualTo(2L);

    Conditions.clear(
        conditions, Conditions.STALLED, ConditionReason.Progressing, 2L, T0.plusSeconds(120));
    Condition cleared = conditions.get(0);
    assertThat(cleared.getStatus()).isEqualTo("False");
    assertThat(cleared.getReason()).isEqualTo("Progressing");
    assertThat(cleared.getLastTransitionTime()).isEqualTo(T0.plusSeconds(120).toString());

    Conditions.clear(conditions, Conditions.FAILED, ConditionReason.Restarted, 2L, T0);
    assertThat(conditions).as("clearing an absent condition adds none").hasSize(1);
  }
}
