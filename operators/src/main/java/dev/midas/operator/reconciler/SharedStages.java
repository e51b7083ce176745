package dev.midas.operator.reconciler;

import java.util.Map;

/**
 * The first {@code count} stages of an experiment are trained once by a sweep sibling (the {@code
 * leader}) and taken over from it: {@code finals} holds the leader's committed stage-final manifest
 * of each such stage as soon as it exists. {@code leaderFailed} makes the experiment train them
 * itself after all.
 */
public record SharedStages(
    int count, String leader, Map<Integer, String> finals, boolean leaderFailed) {
  public static final SharedStages NONE = new SharedStages(0, "", Map.of(), false);

  public SharedStages {
    finals = Map.copyOf(finals);
  }

  /** Whether stage {@code stage} comes from the leader. */
  public boolean covers(int stage) {
    return !leaderFailed && stage <= count;
  }
}
