package dev.midas.run;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.schedule.StageSchedule;
import dev.midas.plan.stage.ObservedRun;
import dev.midas.plan.stage.ObservedStage;
import dev.midas.proto.CheckpointManifest;
import dev.midas.proto.EvalResult;
import dev.midas.proto.Heartbeat;
import dev.midas.proto.LagRecord;
import dev.midas.proto.ReportManifest;
import dev.midas.proto.StageResult;
import dev.midas.store.ObjectStore;
import dev.midas.store.artifact.ManifestReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one reader of a run's state in the object store, for the operator, the local runner and the
 * evaluator alike: the committed checkpoints of each stage in step order, the latest, the one that
 * ends a stage, the grown one, the stages' and evaluations' heartbeats and results, and the
 * committed reports. Only MANIFEST keys count, so a half-written checkpoint is invisible; nothing
 * here reads a manifest, so observing a run costs one listing per stage and one existence check per
 * grown checkpoint.
 *
 * <p>A checkpoint ends its stage when it sits at the stage's last global step: the stage-final one,
 * or a preemption that landed exactly there.
 */
public final class RunReader {
  /** The Markdown file of every report. */
  public static final String REPORT_FILE = "report.md";

  private final ObjectStore store;

  public RunReader(ObjectStore store) {
    this.store = store;
  }

  public ObjectStore objectStore() {
    return store;
  }

  /** What the stage state machine needs of every stage of the run. */
  public ObservedRun observe(RunLayout run, StageSchedule schedule) throws IOException {
    List<ObservedStage> stages = new ArrayList<>();
    for (int s = 1; s <= schedule.numStages(); s++) {
      stages.add(stage(run, s, schedule.globalStart(s) + schedule.steps(s)));
    }
    return new ObservedRun(stages);
  }

  /** What is committed for stage {@code stage}, which ends at global step {@code endStep}. */
  public ObservedStage stage(RunLayout run, int stage, long endStep) throws IOException {
    List<CommittedCheckpoint> ckpts = checkpoints(run, stage);
    Optional<CommittedCheckpoint> latest =
        ckpts.isEmpty() ? Optional.empty() : Optional.of(ckpts.get(ckpts.size() - 1));
    Optional<String> fin =
        ckpts.stream()
            .filter(c -> c.globalStep() == endStep)
            .findFirst()
            .map(c -> c.manifest().toString());
    return new ObservedStage(
        fin, grown(run, stage).map(URI::toString), latest.map(c -> c.manifest().toString()));
  }

  /** The committed checkpoints of one stage (not its grown one), in step order. */
  public List<CommittedCheckpoint> checkpoints(RunLayout run, int stage) throws IOException {
    List<CommittedCheckpoint> out = new ArrayList<>();
    for (String key : store.list(run.checkpointsPrefix(stage))) {
      if (!key.endsWith("/" + RunLayout.MANIFEST)) {
        continue;
      }
      OptionalLong step = RunLayout.stepOf(key);
      if (step.isPresent()) {
        out.add(new CommittedCheckpoint(stage, step.getAsLong(), store.uri(key)));
      }
    }
    out.sort(Comparator.comparingLong(CommittedCheckpoint::globalStep));
    return out;
  }

  /**
   * The committed checkpoints of stages 1 to {@code numStages}, stage by stage, in step order; a
   * shared stage's from the run that trained it ({@link #stageRuns}).
   */
  public List<CommittedCheckpoint> allCheckpoints(RunLayout run, int numStages) throws IOException {
    List<RunLayout> trainedIn = stageRuns(run, numStages);
    List<CommittedCheckpoint> out = new ArrayList<>();
    for (int s = 1; s <= numStages; s++) {
      out.addAll(checkpoints(trainedIn.get(s - 1), s));
    }
    return out;
  }

  /**
   * The run each of stages 1..numStages was trained in: this one, or for first stages a sweep
   * sibling trained and this run took over (shared stages), the sibling's, found through the
   * lineage of this run's first own checkpoint (its parent chain leaves this run at the sibling's
   * stage-final checkpoint). A stage found nowhere is reported as this run's (with no checkpoints).
   */
  public List<RunLayout> stageRuns(RunLayout run, int numStages) throws IOException {
    List<RunLayout> out = new ArrayList<>();
    Optional<RunLayout> sibling = Optional.empty();
    for (int s = 1; s <= numStages; s++) {
      if (!checkpoints(run, s).isEmpty()) {
        out.add(run);
        continue;
      }
      if (sibling.isEmpty()) {
        sibling = sharedFrom(run, s + 1, numStages);
      }
      out.add(sibling.orElse(run));
    }
    return out;
  }

  /** The run the lineage of this run's first checkpoint of a stage from {@code from} leads to. */
  private Optional<RunLayout> sharedFrom(RunLayout run, int from, int numStages)
      throws IOException {
    for (int t = from; t <= numStages; t++) {
      List<CommittedCheckpoint> own = checkpoints(run, t);
      if (own.isEmpty()) {
        continue;
      }
      ManifestReader reader = new ManifestReader(store);
      String key = store.keyOf(own.get(0).manifest());
      for (int hops = 0; hops < 4 * RunLayout.MAX_STAGE; hops++) {
        String parent =
            reader.read(key, CheckpointManifest.getDefaultInstance()).getParentManifest();
        if (parent.isEmpty()) {
          return Optional.empty();
        }
        try {
          key = store.keyOf(URI.create(parent));
        } catch (IllegalArgumentException e) {
          return Optional.empty(); // another store's checkpoint
        }
        if (!key.startsWith(run.runPrefix())) {
          return RunLayout.ofKey(key);
        }
      }
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The committed checkpoint of a stage with the highest global step, if any. */
  public Optional<URI> latest(RunLayout run, int stage) throws IOException {
    List<CommittedCheckpoint> ckpts = checkpoints(run, stage);
    return ckpts.isEmpty() ? Optional.empty() : Optional.of(ckpts.get(ckpts.size() - 1).manifest());
  }

  /** The grown checkpoint stage {@code stage} made for the next stage, if committed. */
  public Optional<URI> grown(RunLayout run, int stage) throws IOException {
    String key = RunLayout.manifestKey(run.grownPrefix(stage));
    return store.exists(key) ? Optional.of(store.uri(key)) : Optional.empty();
  }

  /**
   * The stage's latest heartbeat; empty when there is none or it is being overwritten (a torn read
   * is retried by the next observation).
   */
  public Optional<Heartbeat> heartbeat(RunLayout run, int stage) throws IOException {
    return read(run.heartbeatKey(stage), Heartbeat.newBuilder()).map(Heartbeat.class::cast);
  }

  /** The result the stage's last attempt wrote, if it wrote a readable one. */
  public Optional<StageResult> result(RunLayout run, int stage) throws IOException {
    return read(run.resultKey(stage), StageResult.newBuilder()).map(StageResult.class::cast);
  }

  /** LAG's decision at the growth into {@code stage}, once made. */
  public Optional<LagRecord> lag(RunLayout run, int stage) throws IOException {
    return read(run.lagKey(stage), LagRecord.newBuilder()).map(LagRecord.class::cast);
  }

  /** Every LAG decision of a run of {@code numStages} stages, by the stage it started. */
  public List<LagRecord> lags(RunLayout run, int numStages) throws IOException {
    List<LagRecord> out = new java.util.ArrayList<>();
    for (int s = 2; s <= numStages; s++) {
      lag(run, s).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Commits LAG's decision at a growth point once; a decision already there stays (the first
   * reconcile or run to decide wins, and deciding again reads the same candidates).
   *
   * @return the decision the run holds
   */
  public LagRecord commitLag(RunLayout run, LagRecord record) throws IOException {
    String json = JsonFormat.printer().print(record);
    if (store.putIfAbsent(run.lagKey(record.getStage()), json.getBytes(StandardCharsets.UTF_8))) {
      return record;
    }
    return lag(run, record.getStage())
        .orElseThrow(
            () ->
                new IOException(
                    store.uri(run.lagKey(record.getStage())) + " exists but is not a LAG record"));
  }

  /**
   * The committed report of the evaluation after stage {@code stage} of {@code numStages} (the
   * run's report after the last), if any.
   */
  public Optional<ReportManifest> report(RunLayout run, int stage, int numStages)
      throws IOException {
    String key = RunLayout.manifestKey(run.reportPrefix(stage, numStages));
    if (!store.exists(key)) {
      return Optional.empty();
    }
    return Optional.of(new ManifestReader(store).read(key, ReportManifest.getDefaultInstance()));
  }

  /** The run's committed report (a sweep's comparison report, for a sweep's layout), if any. */
  public Optional<ReportManifest> report(RunLayout run) throws IOException {
    return report(run, 1, 1);
  }

  /** Where the report after stage {@code stage} is, or will be, committed: its report.md. */
  public URI reportUri(RunLayout run, int stage, int numStages) {
    return store.uri(run.reportPrefix(stage, numStages) + REPORT_FILE);
  }

  /** The heartbeat of the evaluation after stage {@code stage}, while it runs. */
  public Optional<Heartbeat> evaluationHeartbeat(RunLayout run, int stage) throws IOException {
    return read(run.evaluationHeartbeatKey(stage), Heartbeat.newBuilder())
        .map(Heartbeat.class::cast);
  }

  /** The result the last attempt of the evaluation after stage {@code stage} wrote. */
  public Optional<EvalResult> evaluationResult(RunLayout run, int stage) throws IOException {
    return read(run.evaluationResultKey(stage), EvalResult.newBuilder())
        .map(EvalResult.class::cast);
  }

  /**
   * Measured wall-clock seconds of stages 1 to {@code numStages}, from their results (a shared
   * stage's from the run that trained it): every attempt of a stage, preempted and failed ones
   * included.
   *
   * @throws IOException naming the stage whose result is missing
   */
  public double[] stageWalls(RunLayout run, int numStages) throws IOException {
    List<RunLayout> trainedIn = stageRuns(run, numStages);
    double[] walls = new double[numStages];
    for (int s = 1; s <= numStages; s++) {
      StageResult r = requiredResult(trainedIn.get(s - 1), s);
      // Earlier attempts (preempted, failed, killed) cost time too.
      walls[s - 1] = Math.max(r.getWallSeconds(), r.getAttemptsWallSeconds());
    }
    return walls;
  }

  /**
   * Seconds the training loops of stages 1 to {@code numStages} took for their steps, from their
   * results (a shared stage's from the run that trained it; see {@link #loopSeconds}).
   *
   * @throws IOException naming the stage whose result is missing
   */
  public double[] stageLoopSeconds(RunLayout run, int numStages, long tokensPerStep)
      throws IOException {
    List<RunLayout> trainedIn = stageRuns(run, numStages);
    double[] loops = new double[numStages];
    for (int s = 1; s <= numStages; s++) {
      loops[s - 1] = loopSeconds(requiredResult(trainedIn.get(s - 1), s), tokensPerStep);
    }
    return loops;
  }

  /**
   * The training loop's time for a stage's steps: its steps at the loop's measured tokens per
   * second. The rest of a stage's wall clock is process start, loading, validation, checkpoints and
   * growth; 0 when the stage measured no rate.
   */
  public static double loopSeconds(StageResult r, long tokensPerStep) {
    return r.getTokensPerSecond() > 0
        ? r.getStageSteps() * (double) tokensPerStep / r.getTokensPerSecond()
        : 0;
  }

  private StageResult requiredResult(RunLayout run, int stage) throws IOException {
    return result(run, stage)
        .orElseThrow(
            () ->
                new IOException(
                    "stage "
                        + stage
                        + " left no readable result at "
                        + store.uri(run.resultKey(stage))));
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
      return Optional.empty();
    }
  }
}
