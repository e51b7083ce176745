package dev.midas.operator.launch;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.plan.spec.ExperimentSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.util.Map;

/**
 * The operator's side effects on the cluster for stages: the spec ConfigMap, creating a stage Job
 * (idempotent: a Job that already exists under its deterministic name is adopted, never
 * duplicated), suspending one (its pod gets SIGTERM and checkpoints) and deleting one.
 */
public class StageLauncher {
  private final KubernetesClient client;

  public StageLauncher(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Writes the experiment resource a stage pod reads as its spec: name, uid and spec, so the stage
   * runner derives the same run layout as the operator.
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
    ConfigMap existing =
        client.configMaps().inNamespace(exp.getMetadata().getNamespace()).withName(configMap).get();
    if (existing == null || !cm.getData().equals(existing.getData())) {
      client
          .configMaps()
          .inNamespace(exp.getMetadata().getNamespace())
          .resource(cm)
          .createOr(c -> c.update());
    }
  }

  /** Creates the Job unless one of that name exists. */
  public void create(Job job) {
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(job.getMetadata().getNamespace())
          .resource(job)
          .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }

  /** Asks the Job to stop: Kubernetes terminates its pod, which checkpoints on SIGTERM. */
  public void suspend(String namespace, String jobName) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withName(jobName)
        .edit(
            j -> {
              j.getSpec().setSuspend(true);
              return j;
            });
  }

  public void delete(String namespace, String jobName) {
    client.batch().v1().jobs().inNamespace(namespace).withName(jobName).delete();
  }
}
