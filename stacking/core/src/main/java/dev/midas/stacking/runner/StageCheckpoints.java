package dev.midas.stacking.runner;

import dev.midas.checkpoint.CheckpointMeta;
import dev.midas.checkpoint.CheckpointStore;
import dev.midas.checkpoint.TrainState;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.Precision;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.CheckpointManifest;
import dev.midas.run.RunReader;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * The checkpoints one stage process writes, each recording the stage's lineage and precision:
 * periodic ones beside the training loop, then the stage-final and the grown checkpoint side by
 * side. Files are written (and hashed) on {@link BackgroundWrites}' threads; manifests are
 * committed in lineage order, so a grown checkpoint never exists before the final one it names as
 * parent.
 */
final class StageCheckpoints implements AutoCloseable {
  private final StageRequest req;
  private final ResolvedSpec spec;
  private final CheckpointStore ckpts;
  private final RunLayout run;
  private final String parent;
  private final Precision precision;
  private final BackgroundWrites writes = new BackgroundWrites(2);

  StageCheckpoints(
      StageRequest req, CheckpointStore ckpts, RunLayout run, String parent, Precision precision) {
    this.req = req;
    this.spec = req.spec();
    this.ckpts = ckpts;
    this.run = run;
    this.parent = parent;
    this.precision = precision;
  }

  /**
   * Starts writing a periodic checkpoint of {@code snapshot} (a copy the loop no longer touches),
   * after the previous one has finished; pruning old ones follows its commit.
   */
  void periodic(TrainState snapshot) throws IOException {
    writes.await();
    writes.submit(
        () -> {
          URI uri =
              ckpts.save(
                  run,
                  req.stage(),
                  CheckpointKind.CHECKPOINT_KIND_PERIODIC,
                  snapshot,
                  meta(Double.NaN, Double.NaN));
          ckpts.retain(run, req.stage(), spec.schedule().keepCheckpoints());
          return uri;
        });
  }

  /** Waits for the periodic checkpoint being written, if any; rethrows its failure. */
  void awaitPeriodic() throws IOException {
    writes.await();
  }

  /** A checkpoint written and committed now (preempted, LAG probe). */
  URI save(CheckpointKind kind, TrainState state, double trainLoss, double valLoss)
      throws IOException {
    return ckpts.save(run, req.stage(), kind, state, meta(trainLoss, valLoss));
  }

  /** The closing checkpoints, being written while the stage validates. */
  final class Closing {
    private final Optional<URI> resumedFinal;
    private final Future<CheckpointStore.Written> fin;
    private final Future<Optional<StageGrowth.Pending>> grown;

    private Closing(TrainState state, Optional<URI> resumedFinal, boolean grow) {
      this.resumedFinal = resumedFinal;
      this.fin =
          resumedFinal.isPresent()
              ? null
              : writes.submit(
                  () ->
                      ckpts.write(
                          run, req.stage(), CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL, state));
      URI finalUri =
          resumedFinal.orElseGet(
              () ->
                  ckpts
                      .objectStore()
                      .uri(
                          RunLayout.manifestKey(
                              run.checkpointPrefix(
                                  req.stage(), state.position().getGlobalStep()))));
      this.grown =
          grow
              ? writes.submit(() -> StageGrowth.write(req, ckpts, run, state, finalUri, precision))
              : null;
    }

    /** Commits the stage-final checkpoint with its losses; returns its manifest. */
    URI commitFinal(double trainLoss, double valLoss) throws IOException {
      if (resumedFinal.isPresent()) {
        return resumedFinal.get();
      }
      return BackgroundWrites.get(fin).commit(meta(trainLoss, valLoss));
    }

    /** Commits the grown checkpoint (after {@link #commitFinal}); returns its manifest. */
    URI commitGrown() throws IOException {
      Optional<StageGrowth.Pending> pending = BackgroundWrites.get(grown);
      if (pending.isPresent()) {
        return pending.get().commit();
      }
      // committed by an earlier attempt
      return new RunReader(ckpts.objectStore()).grown(run, req.stage()).orElseThrow();
    }
  }

  /**
   * Starts writing the stage-final checkpoint of {@code state} and, when {@code grow}, growing it
   * and writing the grown one. A resumed checkpoint that already ends the stage is the final one.
   */
  Closing close(TrainState state, long stepsRun, Optional<URI> resumedFrom, boolean grow)
      throws IOException {
    Optional<URI> resumedFinal = Optional.empty();
    if (stepsRun == 0 && resumedFrom.isPresent()) {
      CheckpointManifest m = ckpts.manifest(resumedFrom.get());
      if (m.getPosition().getStageStep() >= spec.schedule().stages().steps(req.stage())) {
        resumedFinal = resumedFrom;
      }
    }
    return new Closing(state, resumedFinal, grow);
  }

  private CheckpointMeta meta(double trainLoss, double valLoss) {
    return CheckpointMeta.of(spec.seed())
        .withParent(parent)
        .withOptimizerStatePolicy(spec.growth().optimizerState())
        .withChoices(spec.choices())
        .withLosses(trainLoss, valLoss)
        .withPrecision(precision);
  }

  @Override
  public void close() {
    writes.close();
  }
}
