package dev.midas.stacking.train;

import dev.midas.checkpoint.TrainState;

/**
 * The end of a {@link Trainer#train} call: the state to checkpoint or continue from, the last and
 * mean loss of the steps run, throughput, and whether a stop request ended it early.
 */
public record TrainResult(
    TrainState state,
    long stepsRun,
    double lastLoss,
    double meanLoss,
    double tokensPerSecond,
    double wallSeconds,
    boolean stopped) {}
