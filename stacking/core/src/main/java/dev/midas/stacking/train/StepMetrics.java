package dev.midas.stacking.train;

/**
 * What one step reports to a {@link TrainListener}: position, loss, learning rate, gradient norm
 * (before clipping), throughput over this call, and the estimated time to finish it. {@code
 * engineArrays} counts the arrays the model's manager holds: constant from step to step unless
 * something leaks.
 */
public record StepMetrics(
    long globalStep,
    long stageStep,
    long step,
    long steps,
    long tokensSeen,
    double loss,
    double learningRate,
    double gradNorm,
    double tokensPerSecond,
    double elapsedSeconds,
    double etaSeconds,
    int engineArrays) {}
