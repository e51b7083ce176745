package dev.midas.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
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
                    return declaredColumnOrder((CustomResourceDefinition) crd);
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

  private static Class<?> resourceClass(String crdName) {
    return RESOURCES.stream()
        .filter(c -> HasMetadata.getFullResourceName(c).equals(crdName))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no resource class for CRD " + crdName));
  }
}
