package dev.midas.stacking.results;

import dev.midas.proto.TaskScore;
import java.util.List;

/**
 * One method (baseline, gradstack, midas) trained and evaluated: its checkpoints in training order,
 * the FLOPs its schedule costs, the wall clock its stages took, and the fine-tuned scores of its
 * final model, and a few lines its final model writes.
 *
 * @param flops theoretical training FLOPs of the whole schedule
 * @param wallSeconds measured training wall clock end to end, summed over stages: every attempt of
 *     every stage process (preempted ones included) and LAG's candidates (evaluation excluded)
 * @param loopSeconds the training loop's share of it: the time the loop took for the steps trained
 *     (LAG's extra steps included); NaN where not measured
 */
public record MethodRun(
    String method,
    String experiment,
    String uid,
    List<CheckpointEval> checkpoints,
    double flops,
    double wallSeconds,
    double loopSeconds,
    List<TaskScore> finetune,
    List<TextSample> samples) {

  public MethodRun {
    if (checkpoints.isEmpty()) {
      throw new IllegalArgumentException(method + " has no evaluated checkpoint");
    }
    checkpoints = List.copyOf(checkpoints);
    finetune = List.copyOf(finetune);
    samples = List.copyOf(samples);
  }

  /** A run without text samples. */
  public MethodRun(
      String method,
      String experiment,
      String uid,
      List<CheckpointEval> checkpoints,
      double flops,
      double wallSeconds,
      List<TaskScore> finetune) {
    this(method, experiment, uid, checkpoints, flops, wallSeconds, Double.NaN, finetune, List.of());
  }

  public CheckpointEval last() {
    return checkpoints.get(checkpoints.size() - 1);
  }
}
