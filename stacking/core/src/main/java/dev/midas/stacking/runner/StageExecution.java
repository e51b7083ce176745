package dev.midas.stacking.runner;

import dev.midas.checkpoint.CheckpointMeta;
import dev.midas.checkpoint.CheckpointStore;
import dev.midas.checkpoint.TrainState;
import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.CheckpointManifest;
import dev.midas.proto.Heartbeat;
import dev.midas.proto.StageResult;
import dev.midas.stacking.train.Evaluator;
import dev.midas.stacking.train.StepMetrics;
import dev.midas.stacking.train.TrainListener;
import dev.midas.stacking.train.TrainResult;
import dev.midas.stacking.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
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
 */
final class StageExecution {
  private static final Logger LOG = LoggerFactory.getLogger(StageExecution.class);

  private final StageRequest req;
  private final ResolvedSpec spec;
  private final CheckpointStore ckpts;
  private final RunLayout run;
  private final AtomicBoolean stop;
  private final long stageSteps;
  private final NativeHeapTrimmer trimmer = new NativeHeapTrimmer(5_000);

  StageExecution(StageRequest req, CheckpointStore ckpts, AtomicBoolean stop) {
    this.req = req;
    this.spec = req.spec();
    this.ckpts = ckpts;
    this.run = new RunLayout(spec.name(), req.uid());
    this.stop = stop;
    this.stageSteps = spec.schedule().stages().steps(req.stage());
  }

  StageResult run() throws IOException {
    long started = System.nanoTime();
    StageStart start = StageStart.load(req, ckpts);
    long from = start.state().position().getStageStep();
    long target = req.lagSteps().map(n -> Math.min(stageSteps, from + n)).orElse(stageSteps);
    StageData data = StageData.open(spec);
    LOG.info(
        "stage {}/{} of {}: {} layers, stage steps {}..{} of {}, from {}, data {}",
        req.stage(),
        spec.numStages(),
        spec.name(),
        spec.layersAt(req.stage()),
        from,
        target,
        stageSteps,
        start.parent().isEmpty() ? "random init" : start.parent(),
        data.source());
    TrainResult trained;
    Heartbeat initial =
        Heartbeat.newBuilder()
            .setStage(req.stage())
            .setGlobalStep(start.state().position().getGlobalStep())
            .setStageStep(from)
            .setStageSteps(stageSteps)
            .build();
    try (Heartbeats beats =
        new Heartbeats(
            ckpts.objectStore(), run.heartbeatKey(req.stage()), initial, req.heartbeatSeconds())) {
      trained =
          Trainer.train(
              start.state(),
              data.train(),
              TrainConfigs.of(spec, req.threads()),
              target - from,
              listener(beats, start.parent(), target));
    }
    LOG.info("stage {}: {}", req.stage(), trimmer);
    TrainState state = trained.state();
    StageResult.Builder result =
        StageResult.newBuilder()
            .setExperiment(spec.name())
            .setStage(req.stage())
            .setGlobalStep(state.position().getGlobalStep())
            .setStageSteps(stageSteps)
            .setFinalTrainLoss(trained.lastLoss())
            .setTokensPerSecond(trained.tokensPerSecond());
    if (state.position().getStageStep() < target) {
      return preempted(state, start, trained, result, started);
    }
    double valLoss =
        Evaluator.validationLoss(
            state,
            data.validation(),
            spec.schedule().batchSize(),
            spec.evaluation().valBatches(),
            req.threads());
    result.setValLoss(valLoss);
    String what;
    if (req.lagSteps().isPresent()) {
      URI probe = save(CheckpointKind.CHECKPOINT_KIND_PERIODIC, state, start, trained, valLoss);
      result.setFinalManifest(probe.toString());
      what = "LAG probe of " + spec.growth().operator();
    } else {
      URI fin = finalCheckpoint(state, start, trained, valLoss);
      result.setFinalManifest(fin.toString());
      if (req.stage() < spec.numStages()) {
        result.setGrownManifest(StageGrowth.grow(req, ckpts, run, state, fin).toString());
      }
      what = "stage " + req.stage();
    }
    ckpts.retain(run, req.stage(), spec.schedule().keepCheckpoints());
    return result
        .setExitClass(ExitClass.DONE.wire())
        .setMessage(
            String.format(
                "%s done: %d layers, stage step %d of %d, val loss %.4f",
                what, spec.layersAt(req.stage()), target, stageSteps, valLoss))
        .setWallSeconds(seconds(started))
        .build();
  }

  private TrainListener listener(Heartbeats beats, String parent, long target) {
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
        try {
          ckpts.save(
              run,
              req.stage(),
              CheckpointKind.CHECKPOINT_KIND_PERIODIC,
              snapshot,
              meta(parent, Double.NaN, Double.NaN));
          ckpts.retain(run, req.stage(), spec.schedule().keepCheckpoints());
          trimmer.trim();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
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
      long started)
      throws IOException {
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
              : save(CheckpointKind.CHECKPOINT_KIND_PREEMPTED, state, start, trained, Double.NaN)
                  .toString();
    }
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
        .setWallSeconds(seconds(started))
        .build();
  }

  /** The resumed checkpoint when it already ends the stage; otherwise a new stage-final. */
  private URI finalCheckpoint(
      TrainState state, StageStart start, TrainResult trained, double valLoss) throws IOException {
    if (trained.stepsRun() == 0 && start.resumedFrom().isPresent()) {
      CheckpointManifest m = ckpts.manifest(start.resumedFrom().get());
      if (m.getPosition().getStageStep() >= stageSteps) {
        return start.resumedFrom().get();
      }
    }
    return save(CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL, state, start, trained, valLoss);
  }

  private URI save(
      CheckpointKind kind, TrainState state, StageStart start, TrainResult trained, double val)
      throws IOException {
    return ckpts.save(run, req.stage(), kind, state, meta(start.parent(), trained.lastLoss(), val));
  }

  private CheckpointMeta meta(String parent, double trainLoss, double valLoss) {
    CheckpointMeta m =
        CheckpointMeta.of(spec.seed())
            .withParent(parent)
            .withOptimizerStatePolicy(spec.growth().optimizerState())
            .withChoices(spec.choices())
            .withLosses(trainLoss, valLoss);
    return m;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
