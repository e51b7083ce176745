package dev.midas.stacking.results;

import dev.midas.proto.TaskScore;
import java.util.List;

/**
 * One method (baseline, gradstack, midas) trained and evaluated: its checkpoints in training order,
 * the FLOPs its schedule costs, the wall clock its stages took, and the fine-tuned scores of its
 * final model, and a few lines its final model writes.
 *
 * @param flops theoretical training FLOPs of the whole schedule
 * @param wallSeconds measured training wall clock, summed over stages (evaluation excluded)
 */
public record MethodRun(
    String method,
    String experiment,
    String uid,
    List<CheckpointEval> checkpoints,
    double flops,
    double wallSeconds,
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
    this(method, experiment, uid, checkpoints, flops, wallSeconds, finetune, List.of());
  }

  public CheckpointEval last() {
    return checkpoints.get(checkpoints.size() - 1);
  }
}
