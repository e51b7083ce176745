package dev.midas.operator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.events.ConditionReason;
import dev.midas.operator.events.EventRecorder;
import dev.midas.operator.events.Reason;
import dev.midas.operator.lifecycle.Conditions;
import dev.midas.operator.validation.ExperimentValidator;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.ExperimentSpec;
import dev.midas.plan.spec.SpecLoader;
import dev.midas.plan.spec.SpecValidator;
import dev.midas.store.ObjectStore;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * The spec a run is frozen with, as the local runner does it: at the first reconcile the spec
 * (everything but {@code suspend} and {@code restartNonce}, with the operator's storage defaults
 * filled in) is written create-only to {@code runs/<experiment>/<uid>/spec}, and its hash to
 * status. Later edits of anything else (which the CRD's transition rule refuses where the API
 * server runs CEL) take no effect: the run goes on with the frozen spec, and a SpecEditRejected
 * condition names the edited fields until they are restored. A healthy reconcile costs no store
 * read.
 */
final class FrozenSpecs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EventRecorder events;
  private final Clock clock;

  FrozenSpecs(EventRecorder events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  /** The spec that runs: {@code live} when unchanged, otherwise the frozen one. */
  ExperimentValidator.Validated freeze(
      ObjectStore store,
      RunLayout layout,
      ExperimentValidator.Validated live,
      StackingExperiment exp,
      ExperimentStatus st)
      throws IOException {
    ExperimentSpec liveImmutable = immutablePart(live.frozen());
    String text = SpecLoader.toJson(liveImmutable);
    String hash = hash(text);
    if (hash.equals(st.specHash)) {
      accepted(exp, st);
      return new ExperimentValidator.Validated(live.spec(), live.root(), liveImmutable);
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (st.specHash == null && store.putIfAbsent(layout.specKey(), bytes)) {
      st.specHash = hash;
      return new ExperimentValidator.Validated(live.spec(), live.root(), liveImmutable);
    }
    String frozenText = new String(store.get(layout.specKey()), StandardCharsets.UTF_8);
    st.specHash = hash(frozenText);
    if (frozenText.equals(text)) {
      accepted(exp, st);
      return new ExperimentValidator.Validated(live.spec(), live.root(), liveImmutable);
    }
    ExperimentSpec frozen = SpecLoader.parse(frozenText, layout.specKey()).spec();
    String message =
        String.join(", ", changedFields(frozenText, text))
            + " changed after the run started; it goes on with the spec frozen in "
            + store.uri(layout.specKey())
            + ". Only spec.suspend and spec.restartNonce may change: restore the rest, or create"
            + " a new StackingExperiment";
    if (!Conditions.isTrue(st.conditions, Conditions.SPEC_EDIT_REJECTED)) {
      events.record(exp, Reason.SpecEditRejected, message);
    }
    Conditions.set(
        st.conditions,
        Conditions.SPEC_EDIT_REJECTED,
        true,
        ConditionReason.SpecEditRejected,
        message,
        exp.getMetadata().getGeneration(),
        clock.instant());
    ExperimentSpec running = Serialization.clone(frozen);
    running.suspend = live.frozen().suspend;
    running.restartNonce = live.frozen().restartNonce;
    return new ExperimentValidator.Validated(
        SpecValidator.resolve(exp.getMetadata().getName(), running), live.root(), frozen);
  }

  private void accepted(StackingExperiment exp, ExperimentStatus st) {
    Conditions.clear(
        st.conditions,
        Conditions.SPEC_EDIT_REJECTED,
        ConditionReason.Valid,
        exp.getMetadata().getGeneration(),
        clock.instant());
  }

  /** The spec without the fields that may change: what stage pods get and the store keeps. */
  static ExperimentSpec immutablePart(ExperimentSpec spec) {
    ExperimentSpec s = Serialization.clone(spec);
    s.suspend = null;
    s.restartNonce = null;
    return s;
  }

  private static List<String> changedFields(String frozen, String live) throws IOException {
    JsonNode a = JSON.readTree(frozen);
    JsonNode b = JSON.readTree(live);
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!a.get(f).equals(b.get(f))) {
        out.add("spec." + f);
      }
    }
    for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!a.has(f)) {
        out.add("spec." + f);
      }
    }
    return out;
  }

  private static String hash(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
