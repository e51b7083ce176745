package dev.midas.stacking.train;

import dev.midas.checkpoint.TrainState;

/**
 * Callbacks from the training loop, on its thread: per-step metrics (heartbeats, progress bars),
 * periodic snapshots to checkpoint, and a stop request (SIGTERM: the loop returns after the current
 * step with its state, which the caller checkpoints).
 */
public interface TrainListener {
  TrainListener NONE = new TrainListener() {};

  default void onStep(StepMetrics m) {}

  /** Every {@code checkpointEvery} global steps: a complete, independent copy of the state. */
  default void onCheckpoint(TrainState snapshot) {}

  /** Polled before every step. */
  default boolean stopRequested() {
    return false;
  }
}
