package dev.midas.operator.observer;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.schedule.StageSchedule;
import dev.midas.plan.stage.ObservedRun;
import dev.midas.plan.stage.ObservedStage;
import dev.midas.proto.Heartbeat;
import dev.midas.proto.StageResult;
import dev.midas.store.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads what a run has committed to the object store: for each stage its final checkpoint (the one
 * at the stage's last global step), its grown checkpoint and its latest checkpoint, plus the
 * heartbeat and result objects. Only MANIFEST keys count, so a half-written checkpoint is
 * invisible.
 */
public class RunObserver {
  private final ObjectStore store;

  public RunObserver(ObjectStore store) {
    this.store = store;
  }

  public ObservedRun observe(RunLayout layout, StageSchedule schedule) throws IOException {
    List<ObservedStage> stages = new ArrayList<>();
    for (int s = 1; s <= schedule.numStages(); s++) {
      stages.add(observeStage(layout, s, schedule.globalStart(s) + schedule.steps(s)));
    }
    return new ObservedRun(stages);
  }

  /** Stage {@code stage} of a run whose stage ends at global step {@code endStep}. */
  public ObservedStage observeStage(RunLayout layout, int stage, long endStep) throws IOException {
    Optional<String> latest = latestCheckpoint(layout, stage);
    String finalKey = RunLayout.manifestKey(layout.checkpointPrefix(stage, endStep));
    Optional<String> fin = store.exists(finalKey) ? Optional.of(uri(finalKey)) : Optional.empty();
    String grownKey = RunLayout.manifestKey(layout.grownPrefix(stage));
    Optional<String> grown = store.exists(grownKey) ? Optional.of(uri(grownKey)) : Optional.empty();
    return new ObservedStage(fin, grown, latest);
  }

  /** The committed checkpoint of a stage with the highest global step, as a manifest URI. */
  public Optional<String> latestCheckpoint(RunLayout layout, int stage) throws IOException {
    long best = -1;
    String bestKey = null;
    for (String key : store.list(layout.checkpointsPrefix(stage))) {
      if (!key.endsWith("/" + RunLayout.MANIFEST)) {
        continue;
      }
      OptionalLong step = RunLayout.stepOf(key);
      if (step.isPresent() && step.getAsLong() > best) {
        best = step.getAsLong();
        bestKey = key;
      }
    }
    return Optional.ofNullable(bestKey).map(this::uri);
  }

  public Optional<Heartbeat> heartbeat(RunLayout layout, int stage) throws IOException {
    return read(layout.heartbeatKey(stage), Heartbeat.newBuilder()).map(b -> (Heartbeat) b);
  }

  public Optional<StageResult> result(RunLayout layout, int stage) throws IOException {
    return read(layout.resultKey(stage), StageResult.newBuilder()).map(b -> (StageResult) b);
  }

  private Optional<Message> read(String key, Message.Builder builder) throws IOException {
    if (!store.exists(key)) {
      return Optional.empty();
    }
    String json = new String(store.get(key), StandardCharsets.UTF_8);
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(json, builder);
      return Optional.of(builder.build());
    } catch (InvalidProtocolBufferException e) {
      // A heartbeat is overwritten in place; a torn read is retried at the next reconcile.
      return Optional.empty();
    }
  }

  private String uri(String key) {
    return store.uri(key).toString();
  }
}
