package dev.midas.stacking.runner;

import dev.midas.checkpoint.CheckpointStore;
import dev.midas.checkpoint.TrainState;
import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.Precision;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.Heartbeat;
import dev.midas.proto.StageResult;
import dev.midas.proto.StageTimings;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.stacking.train.Evaluator;
import dev.midas.stacking.train.StepMetrics;
import dev.midas.stacking.train.TrainListener;
import dev.midas.stacking.train.TrainResult;
import dev.midas.stacking.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stage, start to end: load the starting state (random init, grown init, or a checkpoint to
 * resume), train up to the stage's last step with periodic checkpoints and heartbeats, commit the
 * stage-final checkpoint with its validation loss, grow it into the next stage's init, and return
 * the {@link StageResult}. A stop request (SIGTERM) ends training at the next step boundary with a
 * preempted checkpoint. A LAG probe ({@code --lag-steps}) trains only that many steps and commits a
 * periodic checkpoint with its validation loss instead of a final one.
 *
 * <p>What is not training overlaps where it can, since every stage process pays it again: the
 * engine loads (and compiles its script functions) and the data opens (shards read and verified),
 * each on a thread of its own, while the start state is read and verified; periodic checkpoints are
 * written beside the training loop; the stage-final and grown checkpoints are written while the
 * stage validates, and committed after. The stage trains in the spec's precision, else its
 * lineage's, else the device's default ({@link Precision#choose}), and records it in every
 * checkpoint.
 */
final class StageExecution {
  private static final Logger LOG = LoggerFactory.getLogger(StageExecution.class);

  /** Loads the engine and opens the data beside the stage's first reads. */
  private static final Executor STARTER =
      task -> {
        Thread t = new Thread(task, "stage-start");
        t.setDaemon(true);
        t.start();
      };

  private final StageRequest req;
  private final ResolvedSpec spec;
  private final CheckpointStore ckpts;
  private final RunLayout run;
  private final AtomicBoolean stop;
  private final long stageSteps;
  private final NativeHeapTrimmer trimmer = new NativeHeapTrimmer(5_000);
  private final StageClock clock;
  private final StageTimings.Builder timings;

  StageExecution(StageRequest req, CheckpointStore ckpts, AtomicBoolean stop, StageClock clock) {
    this.req = req;
    this.spec = req.spec();
    this.ckpts = ckpts;
    this.run = new RunLayout(spec.name(), req.uid());
    this.stop = stop;
    this.stageSteps = spec.schedule().stages().steps(req.stage());
    this.clock = clock;
    this.timings = clock.timings();
  }

  StageResult run() throws IOException {
    StageClock.Lap setup = clock.lap();
    // The environment libtorch reads for the precision is set before the engine loads, so the
    // lineage's precision is read first unless the spec names one (then it waits for the engine).
    Optional<Precision> lineage =
        spec.precision().isPresent() ? Optional.empty() : StageStart.lineagePrecision(req, ckpts);
    Optional<Precision> known = spec.precision().or(() -> lineage);
    // None: the device's default, no environment. A process that ran earlier stages has its engine
    // loaded already, with its first stage's setting; it declines a stage that needs another.
    if (known.isPresent() && !PyTorchRuntime.applyPrecision(known.get()) && clock.prestarted()) {
      throw new StageServer.Declined(
          "its engine loaded with another TF32 setting than precision " + known.get() + " needs");
    }
    CompletableFuture<Void> engine =
        CompletableFuture.runAsync(
            () -> Trainer.prepare(req.threads(), known.orElse(Precision.FP32)), STARTER);
    if (spec.precision().isPresent()) {
      StageStart.lineagePrecision(req, ckpts)
          .filter(p -> p != spec.precision().get())
          .ifPresent(
              p ->
                  LOG.info(
                      "precision changes from the lineage's {} to {}, as the spec says",
                      p,
                      spec.precision().get()));
    }
    timings.setSetup(timings.getSetup() + setup.stop()); // the lineage's precision
    CompletableFuture<StageData> opening =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return StageData.open(spec);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            STARTER);
    StageClock.Lap lap = clock.lap();
    StageStart start = StageStart.load(req, ckpts);
    timings.setStartLoad(lap.stop());
    lap = clock.lap();
    StageData data = await(opening);
    timings.setDataOpen(lap.stop()); // what reading the start state did not hide
    lap = clock.lap();
    await(engine);
    PyTorchRuntime.use(req.threads()); // this thread's own settings (grad mode)
    timings.setEngineLoad(lap.stop()); // what the reads above did not hide
    Precision precision = Precision.choose(spec.precision(), lineage, PyTorchRuntime.gpu());
    long from = start.state().position().getStageStep();
    long target = req.lagSteps().map(n -> Math.min(stageSteps, from + n)).orElse(stageSteps);
    LOG.info(
        "stage {}/{} of {}: {} layers, stage steps {}..{} of {}, {}, from {}, data {}",
        req.stage(),
        spec.numStages(),
        spec.name(),
        spec.layersAt(req.stage()),
        from,
        target,
        stageSteps,
        precision,
        start.parent().isEmpty() ? "random init" : start.parent(),
        data.source());
    try (StageCheckpoints checkpoints =
        new StageCheckpoints(req, ckpts, run, start.parent(), precision)) {
      TrainResult trained = train(start, data, precision, target, checkpoints);
      TrainState state = trained.state();
      StageResult.Builder result =
          StageResult.newBuilder()
              .setExperiment(spec.name())
              .setStage(req.stage())
              .setGlobalStep(state.position().getGlobalStep())
              .setStageSteps(stageSteps)
              .setFinalTrainLoss(trained.lastLoss())
              .setTokensPerSecond(trained.tokensPerSecond())
              .setPrecision(precision.word());
      if (state.position().getStageStep() < target) {
        return preempted(state, start, trained, result, checkpoints);
      }
      boolean probe = req.lagSteps().isPresent();
      StageCheckpoints.Closing closing =
          probe
              ? null
              : checkpoints.close(
                  state, trained.stepsRun(), start.resumedFrom(), req.stage() < spec.numStages());
      lap = clock.lap();
      double valLoss =
          Evaluator.validationLoss(
              state,
              data.validation(),
              spec.schedule().batchSize(),
              spec.evaluation().valBatches(),
              req.threads());
      if (probe) {
        // LAG chooses on windows after the reported ones, never on the reported loss itself.
        result.setSelectionLoss(
            Evaluator.selectionLoss(
                state,
                data.validation(),
                spec.schedule().batchSize(),
                spec.evaluation().valBatches(),
                req.threads()));
      }
      timings.setValidation(lap.stop());
      result.setValLoss(valLoss);
      String what;
      lap = clock.lap();
      if (probe) {
        URI uri =
            checkpoints.save(
                CheckpointKind.CHECKPOINT_KIND_PERIODIC, state, trained.lastLoss(), valLoss);
        timings.setFinalCheckpoint(lap.stop());
        result.setFinalManifest(uri.toString());
        what = "LAG probe of " + spec.growth().operator();
      } else {
        result.setFinalManifest(closing.commitFinal(trained.lastLoss(), valLoss).toString());
        timings.setFinalCheckpoint(lap.stop());
        if (req.stage() < spec.numStages()) {
          lap = clock.lap();
          result.setGrownManifest(closing.commitGrown().toString());
          timings.setGrownCheckpoint(lap.stop());
        }
        what = "stage " + req.stage();
      }
      lap = clock.lap();
      ckpts.retain(run, req.stage(), spec.schedule().keepCheckpoints());
      timings.setRetention(lap.stop());
      return result
          .setExitClass(ExitClass.DONE.wire())
          .setMessage(
              String.format(
                  "%s done: %d layers, stage step %d of %d, %s, val loss %.4f",
                  what, spec.layersAt(req.stage()), target, stageSteps, precision, valLoss))
          .build();
    }
  }

  /** The training loop, with heartbeats and periodic checkpoints written beside it. */
  private TrainResult train(
      StageStart start,
      StageData data,
      Precision precision,
      long target,
      StageCheckpoints checkpoints)
      throws IOException {
    long from = start.state().position().getStageStep();
    Heartbeat initial =
        Heartbeat.newBuilder()
            .setStage(req.stage())
            .setGlobalStep(start.state().position().getGlobalStep())
            .setStageStep(from)
            .setStageSteps(stageSteps)
            .setAttemptStartedMillis(clock.startedAtMillis())
            .build();
    StageClock.Lap lap = clock.lap();
    TrainResult trained;
    try (Heartbeats beats =
        new Heartbeats(
            ckpts.objectStore(), run.heartbeatKey(req.stage()), initial, req.heartbeatSeconds())) {
      trained =
          Trainer.train(
              start.state(),
              data.train(),
              TrainConfigs.of(spec, req.threads()).toBuilder().precision(precision).build(),
              target - from,
              listener(beats, target, checkpoints));
    }
    double loop = lap.stop();
    lap = clock.lap();
    checkpoints.awaitPeriodic();
    timings.setPeriodicCheckpoints(timings.getPeriodicCheckpoints() + lap.stop());
    timings.setTraining(loop - timings.getPeriodicCheckpoints());
    LOG.info("stage {}: {}", req.stage(), trimmer);
    return trained;
  }

  private TrainListener listener(Heartbeats beats, long target, StageCheckpoints checkpoints) {
    return new TrainListener() {
      @Override
      public void onStep(StepMetrics m) {
        beats.onStep(m, stageSteps);
        trimmer.maybeTrim();
      }

      @Override
      public void onCheckpoint(TrainState snapshot) {
        if (snapshot.position().getStageStep() >= target) {
          return; // the closing checkpoint follows, with its validation loss
        }
        StageClock.Lap lap = clock.lap();
        try {
          checkpoints.periodic(snapshot);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        trimmer.trim();
        timings.setPeriodicCheckpoints(timings.getPeriodicCheckpoints() + lap.stop());
      }

      @Override
      public boolean stopRequested() {
        return stop.get();
      }
    };
  }

  private StageResult preempted(
      TrainState state,
      StageStart start,
      TrainResult trained,
      StageResult.Builder result,
      StageCheckpoints checkpoints)
      throws IOException {
    StageClock.Lap lap = clock.lap();
    String manifest;
    if (trained.stepsRun() == 0) {
      manifest = start.parent(); // no progress since the checkpoint this process started from
    } else {
      // Stopped right after a periodic checkpoint: that one already holds this state.
      String periodic =
          RunLayout.manifestKey(
              run.checkpointPrefix(req.stage(), state.position().getGlobalStep()));
      manifest =
          ckpts.objectStore().exists(periodic)
              ? ckpts.objectStore().uri(periodic).toString()
              : checkpoints
                  .save(
                      CheckpointKind.CHECKPOINT_KIND_PREEMPTED,
                      state,
                      trained.lastLoss(),
                      Double.NaN)
                  .toString();
    }
    timings.setFinalCheckpoint(lap.stop());
    return result
        .setExitClass(ExitClass.PREEMPTED.wire())
        .setMessage(
            "stopped at stage step "
                + state.position().getStageStep()
                + " of "
                + stageSteps
                + "; resume from "
                + manifest)
        .setFinalManifest(manifest)
        .build();
  }

  /**
   * Waits for a start-up task; its failure as it was thrown, so it maps to the right exit class.
   */
  private static <T> T await(CompletableFuture<T> task) throws IOException {
    try {
      return task.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }
}
