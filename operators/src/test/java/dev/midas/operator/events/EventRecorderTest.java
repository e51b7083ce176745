package dev.midas.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.testing.TestingApiServer;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A failure met on every retry is one event per distinct reason and message per object, not one per
 * retry; a new message is a new event, and so is the same failure after a reconcile succeeded.
 */
class EventRecorderTest {
  private static final String NS = "events";

  @Test
  void repeatedFailureIsRecordedOncePerDistinctMessageUntilResolved() throws Exception {
    try (TestingApiServer api = TestingApiServer.start()) {
      EventRecorder events = new EventRecorder(api.newOperatorClient(), Clock.systemUTC());
      StackingExperiment a = experiment("a", "uid-a");
      StackingExperiment b = experiment("b", "uid-b");

      for (int i = 0; i < 5; i++) {
        events.recordOnce(a, Reason.ReconcileFailed, "name taken");
      }
      events.recordOnce(b, Reason.ReconcileFailed, "name taken");
      assertThat(messages(api, "a")).containsExactly("name taken");
      assertThat(messages(api, "b")).containsExactly("name taken");

      events.recordOnce(a, Reason.ReconcileFailed, "quota exceeded");
      events.recordOnce(a, Reason.ReconcileFailed, "quota exceeded");
      events.recordOnce(a, Reason.ReconcileFailed, "name taken");
      assertThat(messages(api, "a"))
          .containsExactlyInAnyOrder("name taken", "quota exceeded", "name taken");

      events.resolved(a);
      events.recordOnce(a, Reason.ReconcileFailed, "name taken");
      assertThat(messages(api, "a")).hasSize(4);
      events.record(a, Reason.StageStarted, "plain events are never held back");
      events.record(a, Reason.StageStarted, "plain events are never held back");
      assertThat(messages(api, "a")).hasSize(6);
    }
  }

  @Test
  void memoryOfRecordedFailuresIsBounded() throws Exception {
    try (TestingApiServer api = TestingApiServer.start()) {
      EventRecorder events = new EventRecorder(api.newOperatorClient(), Clock.systemUTC());
      StackingExperiment first = experiment("first", "uid-first");
      events.recordOnce(first, Reason.ReconcileFailed, "boom");
      for (int i = 0; i < EventRecorder.REMEMBERED; i++) {
        events.firstTime(experiment("x" + i, "uid-" + i), Reason.ReconcileFailed, "boom");
      }
      events.recordOnce(first, Reason.ReconcileFailed, "boom");
      assertThat(messages(api, "first")).as("forgotten, so recorded again").hasSize(2);
    }
  }

  private static StackingExperiment experiment(String name, String uid) {
    StackingExperiment e = new StackingExperiment();
    e.getMetadata().setName(name);
    e.getMetadata().setNamespace(NS);
    e.getMetadata().setUid(uid);
    return e;
  }

  private static List<String> messages(TestingApiServer api, String name) {
    return api.client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .map(Event::getMessage)
        .toList();
  }
}
