package dev.midas.stacking.runner;

import dev.midas.checkpoint.CheckpointStore;
import dev.midas.checkpoint.TrainState;
import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.spec.Precision;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.proto.TrainPosition;
import dev.midas.stacking.train.TrainStates;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * Where a stage starts: the train state, the manifest it came from ({@code ""} for random init,
 * recorded as the parent of every checkpoint this process writes), and the checkpoint resumed from,
 * if any. Loading verifies the files; a checkpoint of the wrong depth, width or position for this
 * stage is refused as corrupt input.
 */
record StageStart(TrainState state, String parent, Optional<URI> resumedFrom) {

  /**
   * The compute precision of the lineage the stage continues: what the manifest it starts from
   * records (fp32 for manifests from before precision was recorded); empty for random init. Reads
   * the manifest alone, so the engine can be set up for it before the state is loaded.
   */
  static Optional<Precision> lineagePrecision(StageRequest req, CheckpointStore ckpts)
      throws IOException {
    Optional<URI> from = req.resume().or(req::init);
    if (from.isEmpty()) {
      return Optional.empty();
    }
    String recorded = ckpts.manifest(from.get()).getPrecision();
    try {
      return Optional.of(Precision.ofManifest(recorded));
    } catch (IllegalArgumentException e) {
      throw wrongInput(from.get(), "records " + e.getMessage());
    }
  }

  static StageStart load(StageRequest req, CheckpointStore ckpts) throws IOException {
    ResolvedSpec spec = req.spec();
    int stage = req.stage();
    if (req.resume().isPresent()) {
      URI from = req.resume().get();
      // A resumed checkpoint may be anywhere inside the stage.
      return new StageStart(load(ckpts, req, from, false), from.toString(), Optional.of(from));
    }
    if (req.init().isPresent()) {
      URI from = req.init().get();
      return new StageStart(load(ckpts, req, from, true), from.toString(), Optional.empty());
    }
    if (stage != 1) {
      throw new StageException(
          ExitClass.BAD_SPEC,
          "stage "
              + stage
              + " needs --init <grown manifest of stage "
              + (stage - 1)
              + "> or --resume <checkpoint manifest>; only stage 1 starts from random init");
    }
    return new StageStart(
        TrainStates.fresh(spec.stageConfig(1), spec.seed()), "", Optional.empty());
  }

  private static TrainState load(
      CheckpointStore ckpts, StageRequest req, URI from, boolean atStageStart) throws IOException {
    ResolvedSpec spec = req.spec();
    int stage = req.stage();
    TrainState s = ckpts.load(from);
    int layers = spec.stageConfig(stage).getNLayers();
    if (s.model().getLoop() != spec.stageConfig(stage).getLoop()) {
      throw wrongInput(
          from,
          "loops its layers "
              + s.model().getLoop()
              + " times; stage "
              + stage
              + " of "
              + spec.name()
              + " loops them "
              + spec.stageConfig(stage).getLoop()
              + " times");
    }
    if (atStageStart && stage > 1 && s.model().getNLayers() == spec.layersAt(stage - 1)) {
      // The previous stage's final state (a LAG probe's input): grow it here with this spec's
      // operator instead of reading a committed grown checkpoint.
      s = StageGrowth.apply(spec, stage - 1, s).state();
    }
    if (s.model().getNLayers() != layers) {
      throw wrongInput(
          from,
          "has "
              + s.model().getNLayers()
              + " layers; stage "
              + stage
              + " of "
              + spec.name()
              + " trains "
              + layers);
    }
    if (s.model().getDModel() != spec.model().dModel()
        || s.model().getVocabSize() != spec.model().vocabSize()) {
      throw wrongInput(
          from,
          "has d_model "
              + s.model().getDModel()
              + " and vocab "
              + s.model().getVocabSize()
              + "; the spec says "
              + spec.model().dModel()
              + " and "
              + spec.model().vocabSize());
    }
    TrainPosition p = s.position();
    long globalStart = spec.schedule().stages().globalStart(stage);
    boolean placed =
        atStageStart
            ? p.getStageStep() == 0 && p.getGlobalStep() == globalStart
            : p.getGlobalStep() - p.getStageStep() == globalStart;
    if (!placed) {
      throw wrongInput(
          from,
          "is at global step "
              + p.getGlobalStep()
              + ", stage step "
              + p.getStageStep()
              + "; stage "
              + stage
              + " starts at global step "
              + globalStart);
    }
    return s;
  }

  private static StageException wrongInput(URI from, String problem) {
    return new StageException(ExitClass.CORRUPT_INPUT, "checkpoint " + from + " " + problem);
  }
}
