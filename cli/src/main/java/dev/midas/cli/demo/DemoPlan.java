package dev.midas.cli.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.plan.spec.SpecLoader;
import dev.midas.plan.spec.SpecValidator;
import java.util.List;

/**
 * What a demo runs: one experiment template, trained once per method (the sweep's operator axis),
 * plus the demo's own settings. Each method's spec is the template with {@code growth.operator},
 * the data manifests and the store root filled in, validated like any experiment.
 */
public record DemoPlan(
    String name, String source, List<String> methods, DemoSettings settings, ObjectNode template) {

  public DemoPlan {
    methods = List.copyOf(methods);
    template = template.deepCopy();
  }

  /** The template as an experiment spec, for reading its model and schedule. */
  public ResolvedSpec resolvedTemplate(String method) {
    return resolve(method, null, null, null);
  }

  /**
   * The validated spec of one method's experiment.
   *
   * @param dataset token dataset MANIFEST URI, or null to leave the template's
   * @param primitives primitives MANIFEST URI, or null
   * @param root object-store root URI, or null
   */
  public ResolvedSpec resolve(String method, String dataset, String primitives, String root) {
    return SpecValidator.resolve(
        experimentName(method),
        SpecLoader.parse(specJson(method, dataset, primitives, root), source).spec());
  }

  /** The spec of one method's experiment as JSON (a bare spec), before validation. */
  public String specJson(String method, String dataset, String primitives, String root) {
    ObjectNode spec = template.deepCopy();
    spec.withObject("/growth").put("operator", method);
    if (dataset != null) {
      spec.withObject("/data").put("dataset", dataset);
    }
    if (primitives != null) {
      spec.withObject("/data").put("primitives", primitives);
    }
    if (root != null) {
      spec.withObject("/storage").put("root", root);
    }
    return spec.toString();
  }

  /** {@code demo-tiny-midas}: the experiment (and object-store folder) of one method. */
  public String experimentName(String method) {
    return name + "-" + method;
  }
}
