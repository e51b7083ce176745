package dev.midas.stacking.evaluation;

import dev.midas.checkpoint.CheckpointStore;
import dev.midas.checkpoint.TrainState;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.proto.LagRecord;
import dev.midas.proto.TaskScore;
import dev.midas.run.CommittedCheckpoint;
import dev.midas.run.RunReader;
import dev.midas.stacking.analysis.BlockWeightSimilarity;
import dev.midas.stacking.analysis.FunctionalAnalysis;
import dev.midas.stacking.eval.FewShotEvaluator;
import dev.midas.stacking.eval.FineTuneEvaluator;
import dev.midas.stacking.eval.ModelScoring;
import dev.midas.stacking.eval.PrimitivesDataset;
import dev.midas.stacking.model.LoopedModels;
import dev.midas.stacking.model.TransformerLM;
import dev.midas.stacking.progress.Progress;
import dev.midas.stacking.results.CheckpointEval;
import dev.midas.stacking.results.MethodRun;
import dev.midas.stacking.results.ModelAnalysis;
import dev.midas.stacking.results.TextSample;
import dev.midas.stacking.sampling.PromptSamples;
import dev.midas.stacking.train.Evaluator;
import dev.midas.store.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Measures one trained method: validation loss and few-shot primitives at every committed
 * checkpoint (periodic and stage-final, in step order), then fine-tuning and the analyses on the
 * final model.
 */
public final class MethodEvaluator {
  /** A method measured: its run, the analysis of its final model, and what measuring took. */
  public record Measured(MethodRun run, ModelAnalysis analysis, Seconds seconds) {}

  /** Wall-clock seconds spent on each part of the evaluation, summed over checkpoints. */
  public record Seconds(double validation, double fewShot, double fineTune, double analysis) {
    @Override
    public String toString() {
      return String.format(
          "validation %.1f s, 5-shot %.1f s, fine-tuning %.1f s, analysis %.1f s",
          validation, fewShot, fineTune, analysis);
    }
  }

  private MethodEvaluator() {}

  /**
   * Measures the committed checkpoints of stages 1 to {@code throughStage} of a run, then
   * fine-tunes and analyses the last of them.
   */
  public static Measured evaluate(
      String method,
      ObjectStore store,
      RunLayout layout,
      ResolvedSpec spec,
      int throughStage,
      EvaluationInputs in,
      Progress progress)
      throws IOException {
    CheckpointStore ckpts = new CheckpointStore(store);
    RunReader runs = new RunReader(store);
    List<CommittedCheckpoint> manifests = runs.allCheckpoints(layout, throughStage);
    if (manifests.isEmpty()) {
      throw new IOException("run " + store.uri(layout.runPrefix()) + " has no checkpoint");
    }
    double[] walls = new double[spec.numStages()];
    System.arraycopy(runs.stageWalls(layout, throughStage), 0, walls, 0, throughStage);
    double[] loops = new double[spec.numStages()];
    long tokensPerStep = (long) spec.schedule().batchSize() * spec.model().seqLen();
    System.arraycopy(
        runs.stageLoopSeconds(layout, throughStage, tokensPerStep), 0, loops, 0, throughStage);
    List<LagRecord> lags = runs.lags(layout, throughStage);
    Timeline timeline = new Timeline(spec, walls, loops, lags);
    long lastSteps = spec.schedule().stages().steps(throughStage);
    progress.maxHint(manifests.size() + 2L);
    List<CheckpointEval> evals = new ArrayList<>();
    TrainState last = null;
    int done = 0;
    long valNanos = 0;
    long fewShotNanos = 0;
    for (CommittedCheckpoint ckpt : manifests) {
      TrainState state = ckpts.loadWeights(ckpt.manifest()); // evaluation never reads moments
      int stage = ckpt.stage();
      long stageStep = state.position().getStageStep();
      try (TransformerLM model = TransformerLM.fromParams(state.model(), state.params())) {
        long t0 = System.nanoTime();
        double val =
            Evaluator.validationLoss(model, in.validation(), in.valBatchSize(), in.valBatches());
        long t1 = System.nanoTime();
        List<TaskScore> fewShot =
            in.split(PrimitivesDataset.EVAL).isEmpty()
                ? List.of()
                : FewShotEvaluator.evaluate(
                    ModelScoring.of(model),
                    in.codec(),
                    in.split(PrimitivesDataset.FEWSHOT),
                    in.split(PrimitivesDataset.EVAL),
                    in.fewShot());
        valNanos += t1 - t0;
        fewShotNanos += System.nanoTime() - t1;
        evals.add(
            new CheckpointEval(
                stage,
                state.position().getGlobalStep(),
                timeline.flopsAt(stage, stageStep),
                timeline.wallAt(stage, stageStep),
                val,
                fewShot));
        progress.message(
            String.format("step %d val loss %.3f", state.position().getGlobalStep(), val));
      }
      last = state;
      progress.stepTo(++done);
    }
    long t2 = System.nanoTime();
    List<TaskScore> fineTuned = List.of();
    if (in.runFineTune() && !in.split(PrimitivesDataset.FINETUNE).isEmpty()) {
      progress.message("fine-tuning");
      fineTuned =
          FineTuneEvaluator.evaluate(
              last.model(),
              last.params(),
              in.codec(),
              in.split(PrimitivesDataset.FINETUNE),
              in.split(PrimitivesDataset.EVAL),
              in.fineTune(),
              in.seed());
    }
    progress.stepTo(++done);
    progress.message("analysis");
    long t3 = System.nanoTime();
    ModelAnalysis analysis = analyse(method, last, spec.growth().blockSize(), in);
    long t4 = System.nanoTime();
    List<TextSample> samples = List.of(); // no text to sample without a tokenizer
    if (in.codec() != null) {
      try (TransformerLM model = TransformerLM.fromParams(last.model(), last.params())) {
        samples = PromptSamples.greedy(model, in.codec()); // a few forward passes: not timed apart
      }
    }
    progress.stepTo(++done);
    MethodRun run =
        new MethodRun(
            method,
            layout.experiment(),
            layout.uid(),
            evals,
            timeline.flopsAt(throughStage, lastSteps),
            timeline.wallAt(throughStage, lastSteps),
            timeline.loopThrough(throughStage),
            fineTuned,
            samples);
    return new Measured(
        run,
        analysis,
        new Seconds(valNanos / 1e9, fewShotNanos / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9));
  }

  static ModelAnalysis analyse(String method, TrainState last, int blockSize, EvaluationInputs in) {
    // A looped model's blocks are compared as it computes them: unrolled, each a copy.
    var blocks =
        BlockWeightSimilarity.compute(LoopedModels.unroll(last.model(), last.params()), blockSize);
    int seqLen = in.validation().seqLen();
    int windows = Math.max(1, in.analysisTokens() / seqLen);
    long available = in.validation().sequences();
    if (available < 2) {
      return new ModelAnalysis(method, blocks, Optional.empty(), List.of());
    }
    int each = (int) Math.min(windows, available / 2);
    int[][] fit = windows(in, 0, each);
    int[][] test = windows(in, each, each);
    try (TransformerLM model = TransformerLM.fromParams(last.model(), last.params())) {
      FunctionalAnalysis.Result r = FunctionalAnalysis.run(model, fit, test);
      return new ModelAnalysis(method, blocks, Optional.of(r.functional()), r.linearity());
    }
  }

  /** Validation windows [first, first + n) without their last token (model inputs, seq_len). */
  private static int[][] windows(EvaluationInputs in, long first, int n) {
    int w = in.validation().windowLength();
    int[][] out = new int[n][];
    int[] buf = new int[w];
    for (int i = 0; i < n; i++) {
      in.validation().read(first + i, buf, 0);
      out[i] = java.util.Arrays.copyOf(buf, w - 1);
    }
    return out;
  }
}
