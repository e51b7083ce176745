/**
 * Training: the public API the stage runner and the demo call.
 *
 * <pre>
 * TrainState s = TrainStates.fresh(modelConfig, seed);            // or a loaded / grown checkpoint
 * TrainResult r = Trainer.train(s, data, trainConfig, steps, listener);
 * double val = Evaluator.validationLoss(r.state(), heldOut, batch, batches, threads);
 * Grown g = Growth.grow(r.state(), GrowthRequest.of(GrowthOperator.MIDAS, blockSize));
 * </pre>
 *
 * The {@link dev.midas.stacking.train.TrainListener} receives per-step metrics (loss, lr, tokens/s,
 * ETA) for heartbeats and progress bars, snapshots every {@code checkpointEvery} global steps, and
 * can ask the loop to stop (SIGTERM). Logits for a token batch come from {@link
 * dev.midas.stacking.model.TransformerLM#logits}. A {@link dev.midas.checkpoint.TrainState} is
 * complete, so resuming from one is bit-exact.
 */
package dev.midas.stacking.train;
