package dev.midas.operator.api;

import dev.midas.plan.spec.ExperimentSpec;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRuleBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Generates the CRDs of the custom resource classes with Fabric8's crd-generator; the build runs it
 * (exec-maven-plugin, process-test-classes) into {@code target/crds}, and {@link
 * CrdsAreUpToDateTest} fails the build when {@code k8s/crds} differs. The generator sorts printer
 * columns by JSON path, which would put AGE ({@code .metadata}) before every status column, so its
 * post-processing hook puts them back in the order the class declares its {@link
 * AdditionalPrinterColumn}s: the order {@code kubectl get} shows them in.
 */
public final class GenerateCrds {
  static final List<Class<? extends HasMetadata>> RESOURCES =
      List.of(StackingExperiment.class, StackingSweep.class);

  private GenerateCrds() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: GenerateCrds <output folder>");
    }
    Path out = Files.createDirectories(Path.of(args[0]));
    int written =
        new CRDGenerator()
            .customResourceClasses(RESOURCES)
            .forCRDVersions("v1")
            .withParallelGenerationEnabled(false)
            .withPostProcessor(
                new CRDPostProcessor() {
                  @Override
                  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
                    CustomResourceDefinition c = (CustomResourceDefinition) crd;
                    conditionsAsListMap(c);
                    if (c.getMetadata()
                        .getName()
                        .equals(HasMetadata.getFullResourceName(StackingExperiment.class))) {
                      immutableSpec(c);
                    }
                    return declaredColumnOrder(c);
                  }
                })
            .inOutputDir(out.toFile())
            .generate();
    if (written != RESOURCES.size()) {
      throw new IllegalStateException(
          "generated " + written + " CRDs for " + RESOURCES.size() + " custom resource classes");
    }
  }

  /** Printer columns in the order of the resource class's annotations. */
  static CustomResourceDefinition declaredColumnOrder(CustomResourceDefinition crd) {
    List<String> declared =
        Arrays.stream(
                resourceClass(crd.getMetadata().getName())
                    .getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::jsonPath)
            .toList();
    for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
      if (v.getAdditionalPrinterColumns() != null) {
        List<CustomResourceColumnDefinition> columns =
            new ArrayList<>(v.getAdditionalPrinterColumns());
        columns.sort(Comparator.comparingInt(c -> declared.indexOf(c.getJsonPath())));
        v.setAdditionalPrinterColumns(columns);
      }
    }
    return crd;
  }

  /**
   * {@code status.conditions} is a list-map keyed by type, as Kubernetes conventions ask: one
   * condition per type, merged by type by server-side apply and kubectl.
   */
  static void conditionsAsListMap(CustomResourceDefinition crd) {
    for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
      JSONSchemaProps conditions =
          v.getSchema()
              .getOpenAPIV3Schema()
              .getProperties()
              .get("status")
              .getProperties()
              .get("conditions");
      conditions.setXKubernetesListType("map");
      conditions.setXKubernetesListMapKeys(List.of("type"));
      conditions.getItems().getSchema().setRequired(List.of("type", "status"));
    }
  }

  /**
   * A transition rule (it reads {@code oldSelf}, so the API server checks it on updates only):
   * every top-level field of the spec but {@link StackingExperiment#MUTABLE_SPEC_FIELDS} keeps its
   * value, present or absent. Built from the spec class, so a new field is covered the day it is
   * added.
   */
  static void immutableSpec(CustomResourceDefinition crd) {
    List<String> clauses = new ArrayList<>();
    for (java.lang.reflect.Field f : ExperimentSpec.class.getFields()) {
      if (java.lang.reflect.Modifier.isStatic(f.getModifiers())
          || StackingExperiment.MUTABLE_SPEC_FIELDS.contains(f.getName())) {
        continue;
      }
      String now = "self.spec." + f.getName();
      String old = "oldSelf.spec." + f.getName();
      clauses.add(
          "has("
              + now
              + ") == has("
              + old
              + ") && (!has("
              + now
              + ") || "
              + now
              + " == "
              + old
              + ")");
    }
    for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
      JSONSchemaProps root = v.getSchema().getOpenAPIV3Schema();
      List<ValidationRule> rules = new ArrayList<>(root.getXKubernetesValidations());
      rules.add(
          new ValidationRuleBuilder()
              .withRule(String.join(" && ", clauses))
              .withMessage(StackingExperiment.IMMUTABLE_SPEC_MESSAGE)
              .build());
      root.setXKubernetesValidations(rules);
    }
  }

  private static Class<?> resourceClass(String crdName) {
    return RESOURCES.stream()
        .filter(c -> HasMetadata.getFullResourceName(c).equals(crdName))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no resource class for CRD " + crdName));
  }
}
