package dev.midas.operator.api;

import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.plan.spec.ExperimentSpec;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One MIDAS training run on the cluster: the operator plans its stages from the spec and runs one
 * Job per stage, chaining checkpoints through the object store. The CEL rules below are the checks
 * the API server can make on its own; {@code ExperimentValidator} repeats them (a mock or an old
 * API server may not evaluate CEL) and adds the rest.
 *
 * <p>Printer columns appear in the order declared here (the build's {@code GenerateCrds} keeps it).
 */
@Group(StackingExperiment.GROUP)
@Version(StackingExperiment.VERSION)
@ShortNames("sx")
@Plural("stackingexperiments")
@AdditionalPrinterColumn(
    name = "PHASE",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "STAGE",
    jsonPath = ".status.stage",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "STEP",
    jsonPath = ".status.step",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "LOSS",
    jsonPath = ".status.trainLoss",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "VAL-LOSS",
    jsonPath = ".status.result.valLoss",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "REASON",
    jsonPath = ".status.reason",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "MESSAGE",
    jsonPath = ".status.message",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "REPORT",
    jsonPath = ".status.result.report",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(
    value =
        "size(self.metadata.name) <= 63 && self.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
    message =
        "metadata.name must be a DNS label (a-z, 0-9 and '-', at most 63 characters): it names the"
            + " run's folder, its Jobs and their labels")
@ValidationRule(
    value =
        "has(self.spec.model) && has(self.spec.model.targetLayers) && self.spec.model.targetLayers >= 1",
    message = "spec.model.targetLayers is required and positive")
@ValidationRule(
    value =
        "(has(self.spec.growth) && has(self.spec.growth.operator) && self.spec.growth.operator == 'baseline') || (has(self.spec.growth) && has(self.spec.growth.blockSize) && self.spec.growth.blockSize >= 1)",
    message = "spec.growth.blockSize is required (and at least 1) for every operator but baseline")
@ValidationRule(
    value =
        "!has(self.spec.model) || !has(self.spec.model.targetLayers) || !has(self.spec.growth) || !has(self.spec.growth.blockSize) || self.spec.growth.blockSize < 1 || self.spec.model.targetLayers % self.spec.growth.blockSize == 0",
    message = "spec.model.targetLayers must be a multiple of spec.growth.blockSize")
@ValidationRule(
    value =
        "(has(self.spec.schedule) && has(self.spec.schedule.type) && self.spec.schedule.type == 'explicit') || (has(self.spec.schedule) && has(self.spec.schedule.totalSteps))",
    message = "spec.schedule.totalSteps is required unless the schedule is explicit")
@ValidationRule(
    value =
        "!has(self.spec.schedule) || !has(self.spec.schedule.totalSteps) || self.spec.schedule.totalSteps >= 1",
    message = "spec.schedule.totalSteps must be positive")
@ValidationRule(
    value =
        "!has(self.spec.growth) || !has(self.spec.growth.operator) || self.spec.growth.operator in ['baseline', 'midas', 'gradstack', 'double', 'map', 'random', 'zero']",
    message =
        "spec.growth.operator must be one of baseline, midas, gradstack, double, map, random, zero")
@ValidationRule(
    value =
        "!has(self.spec.growth) || !has(self.spec.growth.optimizerState) || self.spec.growth.optimizerState in ['copy', 'reset']",
    message = "spec.growth.optimizerState must be copy or reset")
@ValidationRule(
    value =
        "!has(self.spec.growth) || !has(self.spec.growth.operator) || self.spec.growth.operator != 'map' || has(self.spec.growth.map)",
    message = "spec.growth.map is required for operator map")
@ValidationRule(
    value =
        "!has(self.spec.growth) || !has(self.spec.growth.lag) || (has(self.spec.growth.lag.candidates) && size(self.spec.growth.lag.candidates) >= 1 && self.spec.growth.lag.candidates.all(c, c in ['midas', 'gradstack', 'random', 'zero']) && has(self.spec.growth.lag.steps) && self.spec.growth.lag.steps >= 1)",
    message =
        "spec.growth.lag needs at least one candidate from midas, gradstack, random, zero and steps >= 1")
@ValidationRule(
    value =
        "!has(self.spec.schedule) || !has(self.spec.schedule.type) || self.spec.schedule.type in ['prop-alpha', 'explicit']",
    message = "spec.schedule.type must be prop-alpha or explicit")
@ValidationRule(
    value =
        "!has(self.spec.schedule) || !has(self.spec.schedule.alpha) || self.spec.schedule.alpha >= 0.0",
    message = "spec.schedule.alpha must not be negative")
@ValidationRule(
    value =
        "!has(self.spec.schedule) || !has(self.spec.schedule.type) || self.spec.schedule.type != 'explicit' || (has(self.spec.schedule.stageSteps) && self.spec.schedule.stageSteps.all(s, s >= 1))",
    message =
        "spec.schedule.stageSteps is required for explicit schedules and each entry is positive")
@ValidationRule(
    value =
        "!has(self.spec.schedule) || !has(self.spec.schedule.batchSize) || self.spec.schedule.batchSize >= 1",
    message = "spec.schedule.batchSize must be positive")
@ValidationRule(
    value =
        "!has(self.spec.schedule) || !has(self.spec.schedule.checkpointEvery) || self.spec.schedule.checkpointEvery >= 1",
    message = "spec.schedule.checkpointEvery must be positive")
@ValidationRule(
    value =
        "!has(self.spec.storage) || !has(self.spec.storage.root) || self.spec.storage.root.startsWith('file://') || self.spec.storage.root.startsWith('s3://')",
    message = "spec.storage.root must start with file:// or s3://")
@ValidationRule(
    value =
        "!has(self.spec.model) || !has(self.spec.model.dModel) || !has(self.spec.model.heads) || (self.spec.model.heads >= 1 && self.spec.model.dModel % self.spec.model.heads == 0)",
    message = "spec.model.dModel must be a multiple of spec.model.heads")
@ValidationRule(
    value = "!has(self.spec.retry) || !has(self.spec.retry.limit) || self.spec.retry.limit >= 0",
    message = "spec.retry.limit must not be negative")
@ValidationRule(
    value =
        "!has(self.spec.resources) || !has(self.spec.resources.gpu) || self.spec.resources.gpu >= 0",
    message = "spec.resources.gpu must not be negative")
public class StackingExperiment extends CustomResource<ExperimentSpec, ExperimentStatus>
    implements Namespaced {
  public static final String GROUP = "midas.dev";
  public static final String VERSION = "v1alpha1";

  /**
   * The only spec fields that may change after creation; the CRD's transition rule (generated)
   * keeps every other one as it was, and the operator runs the frozen spec whatever an API server
   * without CEL lets through.
   */
  public static final java.util.List<String> MUTABLE_SPEC_FIELDS =
      java.util.List.of("suspend", "restartNonce");

  public static final String IMMUTABLE_SPEC_MESSAGE =
      "spec is immutable after creation except spec.suspend and spec.restartNonce: create a new"
          + " StackingExperiment to run another spec";
}
