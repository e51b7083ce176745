package dev.midas.plan.stage;

import java.util.Optional;

/**
 * What the object store holds for one stage, as manifest URIs: the checkpoint that ends the stage
 * (kind stage-final, or any checkpoint at the stage's last step), the grown checkpoint made from it
 * for the next stage, and the latest committed checkpoint of any kind. Only committed artifacts
 * (MANIFEST present) count.
 */
public record ObservedStage(
    Optional<String> finalCheckpoint, Optional<String> grown, Optional<String> latestCheckpoint) {

  public static final ObservedStage NOTHING =
      new ObservedStage(Optional.empty(), Optional.empty(), Optional.empty());

  /** A stage whose final checkpoint and grown checkpoint both exist. */
  public static ObservedStage completed(String finalCheckpoint, String grown) {
    return new ObservedStage(
        Optional.of(finalCheckpoint), Optional.of(grown), Optional.of(finalCheckpoint));
  }

  /** A stage that checkpointed at {@code latest} but has not finished. */
  public static ObservedStage inProgress(String latest) {
    return new ObservedStage(Optional.empty(), Optional.empty(), Optional.of(latest));
  }
}
