package dev.midas.operator.launch;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.plan.spec.ExperimentSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.util.Map;

/**
 * The operator's side effects on the cluster for stages: the spec ConfigMap, creating a stage Job
 * (idempotent: a Job that already exists under its deterministic name is adopted, never duplicated)
 * and deleting one (its pod gets SIGTERM and checkpoints).
 */
public class StageLauncher {
  private final KubernetesClient client;

  public StageLauncher(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Writes the experiment resource a stage pod reads as its spec: name, uid and spec, so the stage
   * runner derives the same run layout as the operator. A ConfigMap of that name controlled by
   * another object (a deleted predecessor of the same name) is never taken over.
   */
  public void ensureSpec(
      StackingExperiment exp, String configMap, String uid, ExperimentSpec spec) {
    StackingExperiment frozen = new StackingExperiment();
    frozen.getMetadata().setName(exp.getMetadata().getName());
    frozen.getMetadata().setNamespace(exp.getMetadata().getNamespace());
    frozen.getMetadata().setUid(uid);
    frozen.setSpec(spec);
    ConfigMap cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(configMap)
            .withNamespace(exp.getMetadata().getNamespace())
            .withLabels(Map.of(StageJobFactory.LABEL_EXPERIMENT, exp.getMetadata().getName()))
            .withOwnerReferences(OwnerRefs.controlledBy(exp))
            .endMetadata()
            .withData(Map.of(StageJobFactory.SPEC_FILE, Serialization.asYaml(frozen)))
            .build();
    var configMaps = client.configMaps().inNamespace(exp.getMetadata().getNamespace());
    ConfigMap existing = configMaps.withName(configMap).get();
    if (existing == null) {
      try {
        configMaps.resource(cm).create();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        existing = configMaps.withName(configMap).get();
      }
    }
    if (existing != null && !OwnerRefs.isControlledBy(existing, exp)) {
      throw OwnerRefs.notOurs(existing, exp);
    }
    if (existing == null || !cm.getData().equals(existing.getData())) {
      configMaps.resource(cm).createOr(c -> c.update());
    }
  }

  /**
   * Creates the Job; one of that name that this experiment made before (a restarted operator, a
   * stale cache) is used as it is, one controlled by anything else is never adopted.
   */
  public void create(Job job, HasMetadata owner) {
    var jobs = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace());
    try {
      jobs.resource(job).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      Job existing = jobs.withName(job.getMetadata().getName()).get();
      if (existing != null && !OwnerRefs.isControlledBy(existing, owner)) {
        throw OwnerRefs.notOurs(existing, owner);
      }
    }
  }

  /** The Job as the API server has it now, or null. */
  public Job get(String namespace, String jobName) {
    return client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
  }

  /**
   * Deletes a Job and, through Kubernetes' garbage collector, its pod: the pod gets SIGTERM and its
   * grace period, in which the stage runner commits a checkpoint. Foreground propagation keeps the
   * Job visible until its pod is gone.
   */
  public void delete(String namespace, String jobName) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withName(jobName)
        .withPropagationPolicy(DeletionPropagation.FOREGROUND)
        .delete();
  }

  public KubernetesClient client() {
    return client;
  }
}
