package dev.midas.stacking.runner;

import dev.midas.checkpoint.CheckpointMeta;
import dev.midas.checkpoint.CheckpointStore;
import dev.midas.checkpoint.TrainState;
import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.Precision;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.proto.CheckpointKind;
import dev.midas.run.RunReader;
import dev.midas.stacking.growth.Grown;
import dev.midas.stacking.growth.Growth;
import dev.midas.stacking.growth.GrowthRequest;
import dev.midas.stacking.growth.LayerMaps;
import dev.midas.stacking.growth.OptimizerStatePolicy;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Grows a stage's final state into the next stage's init and commits it as the grown checkpoint.
 */
public final class StageGrowth {
  private StageGrowth() {}

  /** A grown checkpoint with its files written, and what its manifest will record. */
  record Pending(CheckpointStore.Written written, CheckpointMeta meta) {
    /** Commits the manifest: only once the final checkpoint it names as parent is committed. */
    URI commit() throws IOException {
      return written.commit(meta);
    }
  }

  /**
   * Grows {@code fin} and writes the grown checkpoint's files, naming {@code finalManifest} as its
   * parent; empty when an earlier attempt of this stage already committed it.
   */
  static Optional<Pending> write(
      StageRequest req,
      CheckpointStore ckpts,
      RunLayout run,
      TrainState fin,
      URI finalManifest,
      Precision precision)
      throws IOException {
    int stage = req.stage();
    if (new RunReader(ckpts.objectStore()).grown(run, stage).isPresent()) {
      return Optional.empty(); // committed by an earlier attempt of this stage
    }
    ResolvedSpec spec = req.spec();
    Grown grown = apply(spec, stage, fin);
    CheckpointStore.Written written =
        ckpts.write(run, stage, CheckpointKind.CHECKPOINT_KIND_GROWN, grown.state());
    return Optional.of(
        new Pending(
            written,
            CheckpointMeta.of(spec.seed())
                .withParent(finalManifest.toString())
                .withGrowth(grown.record())
                .withOptimizerStatePolicy(spec.growth().optimizerState())
                .withChoices(spec.choices())
                .withPrecision(precision)));
  }

  /**
   * Grows stage {@code stage}'s final state into stage {@code stage + 1}'s init with the spec's
   * operator. LAG chooses among operators outside (one run per candidate, each with its own spec;
   * see {@code LagPlan}), so here there is always exactly one.
   */
  static Grown apply(ResolvedSpec spec, int stage, TrainState fin) {
    return apply(spec, stage, fin, spec.growth().grower());
  }

  /**
   * Grows stage {@code stage}'s final state with {@code operator} (a LAG candidate: midas,
   * gradstack, random, zero, duplicate-j), the spec's block size, optimizer-state policy and seed.
   */
  public static Grown apply(ResolvedSpec spec, int stage, TrainState fin, String operator) {
    ResolvedSpec.Growth g = spec.growth();
    List<Integer> map = g.map().isEmpty() ? List.of() : g.map().get(stage - 1);
    GrowthRequest request =
        GrowthRequest.named(operator, g.blockSize())
            .withOptimizerState(OptimizerStatePolicy.parse(g.optimizerState()))
            .withMap(map)
            .withSeed(spec.seed() + stage)
            .withTie(LayerMaps.Tie.parse(g.midasTie()));
    Grown grown = Growth.grow(fin, request);
    int expected = spec.layersAt(stage + 1);
    if (grown.state().model().getNLayers() != expected) {
      throw new StageException(
          ExitClass.BAD_SPEC,
          "growth "
              + operator
              + " made "
              + grown.state().model().getNLayers()
              + " layers; stage "
              + (stage + 1)
              + " trains "
              + expected);
    }
    return grown;
  }
}
