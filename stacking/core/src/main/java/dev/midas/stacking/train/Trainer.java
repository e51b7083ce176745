package dev.midas.stacking.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.midas.checkpoint.TrainState;
import dev.midas.plan.spec.Precision;
import dev.midas.proto.TrainPosition;
import dev.midas.stacking.data.Batch;
import dev.midas.stacking.data.BatchPrefetcher;
import dev.midas.stacking.data.DataOrder;
import dev.midas.stacking.data.DatasetException;
import dev.midas.stacking.data.TokenDataset;
import dev.midas.stacking.model.LanguageModelLoss;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.stacking.model.TransformerLM;

/**
 * The training loop: batches in the seeded data order from the state's cursor, forward, backward,
 * {@link AdamW} with clipping, LR from {@link LearningRateSchedule} on the global step. Each step's
 * arrays live in a sub-manager closed at the end of the step.
 *
 * <p>A state is complete (parameters, moments, optimizer step, data epoch and cursor, global and
 * stage step), so training N steps in one call or in several calls, in one process or across a
 * crash, gives the same bits: the data order is a pure function of (seed, epoch, cursor), there is
 * no dropout, and the engine's thread count is pinned from the config.
 *
 * <p>One training loop per JVM at a time: DJL's PyTorch gradient collector is a process-wide
 * singleton (LAG candidates train one after another).
 */
public final class Trainer {
  private Trainer() {}

  /**
   * Loads the engine and compiles the training step's script functions, which the first step would
   * do otherwise: a stage process does it on a thread of its own while it reads its start state and
   * data.
   */
  public static void prepare(int threads, Precision precision) {
    PyTorchRuntime.use(threads);
    TransformerLM.compileScripts(precision);
    Scripts.compile();
  }

  public static TrainResult train(
      TrainState init, TokenDataset data, TrainConfig c, long steps, TrainListener listener) {
    Engine engine = PyTorchRuntime.use(c.threads());
    if (data.seqLen() > init.model().getSeqLen()) {
      throw new DatasetException(
          "data windows of seq_len "
              + data.seqLen()
              + " are longer than the model's seq_len "
              + init.model().getSeqLen());
    }
    DataOrder order = new DataOrder(data.sequences(), c.batchSize(), c.seed());
    LearningRateSchedule schedule = new LearningRateSchedule(c);
    TrainPosition.Builder pos = init.position().toBuilder();
    long start = System.nanoTime();
    double lastLoss = Double.NaN;
    double lossSum = 0;
    long done = 0;
    boolean stopped = false;
    try (TransformerLM model =
            TransformerLM.fromParams(init.model(), init.params(), c.precision());
        AdamW adam = new AdamW(model, init.adamM(), init.adamV(), pos.getOptimizerStep(), c);
        BatchPrefetcher batches =
            new BatchPrefetcher(
                data, order, pos.getDataEpoch(), pos.getDataCursor(), c.prefetchDepth())) {
      for (; done < steps; done++) {
        if (listener.stopRequested()) {
          stopped = true;
          break;
        }
        Batch b = batches.next();
        double lr = schedule.at(pos.getGlobalStep(), pos.getStageStep());
        float loss;
        float gradNorm;
        try (NDManager scope = model.manager().newSubManager()) {
          NDArray tokens = scope.create(b.tokens(), new Shape(b.batchSize(), b.window()));
          int t = b.window() - 1;
          NDArray inputs = tokens.get(new NDIndex(":, 0:" + t));
          NDArray targets = tokens.get(new NDIndex(":, 1:"));
          NDArray lossArray;
          try (GradientCollector gc = engine.newGradientCollector()) {
            lossArray = LanguageModelLoss.mean(model.logits(inputs), targets);
            NDArray penalty =
                c.loopWeight() > 0
                    ? LoopRegularizer.penalty(
                        model.namedParameters(),
                        model.config().getNLayers(),
                        c.loopBlock(),
                        c.loopWeight(),
                        scope)
                    : null;
            gc.backward(penalty == null ? lossArray : lossArray.add(penalty));
          }
          // The step's one read back: nothing waits for the device before the update is queued.
          float[] read = adam.update(lr, lossArray, scope);
          loss = read[0];
          gradNorm = read[1];
        }
        if (!Float.isFinite(loss) || !Float.isFinite(gradNorm)) {
          // The update already ran on the bad values; the state goes nowhere but this exception.
          throw new DivergedException(
              pos.getGlobalStep() + 1,
              Float.isFinite(loss) ? "gradient norm" : "loss",
              Float.isFinite(loss) ? gradNorm : loss);
        }
        pos.setGlobalStep(pos.getGlobalStep() + 1)
            .setStageStep(pos.getStageStep() + 1)
            .setOptimizerStep(adam.step())
            .setTokensSeen(pos.getTokensSeen() + (long) b.batchSize() * (b.window() - 1))
            .setDataEpoch(b.nextEpoch())
            .setDataCursor(b.nextCursor())
            .setLearningRate(lr);
        lastLoss = loss;
        lossSum += loss;
        double elapsed = (System.nanoTime() - start) / 1e9;
        double tokensPerSecond = (done + 1) * (double) b.batchSize() * (b.window() - 1) / elapsed;
        listener.onStep(
            new StepMetrics(
                pos.getGlobalStep(),
                pos.getStageStep(),
                done + 1,
                steps,
                pos.getTokensSeen(),
                loss,
                lr,
                gradNorm,
                tokensPerSecond,
                elapsed,
                elapsed / (done + 1) * (steps - done - 1),
                arrays(model.manager())));
        if (c.checkpointEvery() > 0 && pos.getGlobalStep() % c.checkpointEvery() == 0) {
          listener.onCheckpoint(snapshot(init, model, adam, pos.build()));
        }
      }
      double wall = (System.nanoTime() - start) / 1e9;
      long tokens = done * (long) c.batchSize() * data.seqLen();
      return new TrainResult(
          snapshot(init, model, adam, pos.build()),
          done,
          lastLoss,
          done == 0 ? Double.NaN : lossSum / done,
          wall > 0 ? tokens / wall : 0,
          wall,
          stopped);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for training data", e);
    }
  }

  private static TrainState snapshot(
      TrainState init, TransformerLM model, AdamW adam, TrainPosition pos) {
    return new TrainState(
        model.config(), model.toNamedTensors(), adam.firstMoments(), adam.secondMoments(), pos);
  }

  /** Arrays held by a manager and its sub-managers: flat across steps unless something leaks. */
  private static int arrays(NDManager m) {
    return m instanceof BaseNDManager base ? base.getManagedArrays().size() : -1;
  }
}
