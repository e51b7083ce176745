package dev.midas.stacking.results;

import dev.midas.proto.TaskScore;
import java.util.List;

/**
 * One method (baseline, gradstack, midas) trained and evaluated: its checkpoints in training order,
 * the FLOPs its schedule costs, the wall clock its stages took, and the fine-tuned scores of its
 * final model.
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
    List<TaskScore> finetune) {

  public MethodRun {
    if (checkpoints.isEmpty()) {
      throw new IllegalArgumentException(method + " has no evaluated checkpoint");
    }
    checkpoints = List.copyOf(checkpoints);
    finetune = List.copyOf(finetune);
  }

  public CheckpointEval last() {
    return checkpoints.get(checkpoints.size() - 1);
  }
}
