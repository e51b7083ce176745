package dev.midas.operator.controller;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.StageStatus;
import dev.midas.operator.lifecycle.ExperimentPhase;
import dev.midas.operator.lifecycle.StagePhase;
import dev.midas.operator.reconciler.SharedStages;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads which first stages an experiment takes from a sweep sibling. The sweep marks such a child
 * with two annotations; the sibling's committed stage-final manifests come from its status.
 */
public class SharedStagesObserver {
  /** Name of the sibling experiment that trains the shared stages. */
  public static final String LEADER = "midas.dev/shares-stages-with";

  /** How many first stages are shared. */
  public static final String COUNT = "midas.dev/shared-stages";

  public SharedStages observe(StackingExperiment exp, Context<StackingExperiment> context) {
    Map<String, String> ann = exp.getMetadata().getAnnotations();
    if (ann == null || !ann.containsKey(LEADER) || !ann.containsKey(COUNT)) {
      return SharedStages.NONE;
    }
    String leaderName = ann.get(LEADER);
    int count = Integer.parseInt(ann.get(COUNT));
    StackingExperiment leader =
        context
            .getClient()
            .resources(StackingExperiment.class)
            .inNamespace(exp.getMetadata().getNamespace())
            .withName(leaderName)
            .get();
    if (leader == null) {
      return new SharedStages(count, leaderName, Map.of(), true);
    }
    Map<Integer, String> finals = new HashMap<>();
    boolean failed = false;
    if (leader.getStatus() != null) {
      for (StageStatus s : leader.getStatus().stages) {
        if (s.stage != null
            && s.stage <= count
            && StagePhase.of(s.phase).isDone()
            && s.finalManifest != null) {
          finals.put(s.stage, s.finalManifest);
        }
      }
      failed =
          ExperimentPhase.Failed.name().equals(leader.getStatus().phase) && finals.size() < count;
    }
    return new SharedStages(count, leaderName, finals, failed);
  }
}
