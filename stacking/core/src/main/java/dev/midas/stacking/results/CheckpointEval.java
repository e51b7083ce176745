package dev.midas.stacking.results;

import dev.midas.proto.TaskScore;
import java.util.List;

/**
 * What was measured at one checkpoint of one method: where it sits in training (global step,
 * cumulative training FLOPs and wall clock) and its validation loss and few-shot scores.
 *
 * @param wallSeconds training wall clock up to this checkpoint (stage times measured; within a
 *     stage, interpolated by step)
 */
public record CheckpointEval(
    int stage,
    long globalStep,
    double flops,
    double wallSeconds,
    double valLoss,
    List<TaskScore> fewShot) {

  public CheckpointEval {
    fewShot = List.copyOf(fewShot);
  }

  public double valPerplexity() {
    return Math.exp(valLoss);
  }

  /**
   * Mean accuracy over the tasks of one protocol (e.g. {@code 5shot-loglik}) that scored any
   * instance; NaN if none did.
   */
  public double meanAccuracy(String protocol) {
    return fewShot.stream()
        .filter(s -> s.getProtocol().equals(protocol) && s.getN() > 0)
        .mapToDouble(TaskScore::getAccuracy)
        .average()
        .orElse(Double.NaN);
  }
}
