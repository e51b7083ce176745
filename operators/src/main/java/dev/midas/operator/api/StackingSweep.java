package dev.midas.operator.api;

import dev.midas.operator.api.status.SweepStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A grid of experiments: a template spec crossed with axes (growth operator, block size, alpha,
 * seed). The operator creates one child {@link StackingExperiment} per point, at most {@code
 * maxParallel} at a time, lets children with identical first stages share them, and aggregates the
 * children's final metrics into a table in status.
 */
@Group(StackingExperiment.GROUP)
@Version(StackingExperiment.VERSION)
@ShortNames("sxs")
@Plural("stackingsweeps")
@AdditionalPrinterColumn(
    name = "PHASE",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "DONE",
    jsonPath = ".status.done",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "BEST",
    jsonPath = ".status.best",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "REPORT",
    jsonPath = ".status.report",
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
        "metadata.name must be a DNS label (a-z, 0-9 and '-', at most 63 characters): it labels"
            + " and names the sweep's children")
@ValidationRule(
    value = "has(self.spec.template) && has(self.spec.axes)",
    message = "spec.template and spec.axes are required")
@ValidationRule(
    value = "!has(self.spec.maxParallel) || self.spec.maxParallel >= 1",
    message = "spec.maxParallel must be at least 1")
public class StackingSweep extends CustomResource<SweepSpec, SweepStatus> implements Namespaced {}
