package dev.midas.cli.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.midas.plan.spec.InvalidSpecException;
import dev.midas.plan.spec.SpecLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what a demo runs from the same YAML a cluster takes: a {@code StackingSweep} (its template,
 * crossed with its {@code operator} axis), a {@code StackingExperiment} or a bare spec (compared
 * across the three default methods). Presets ship as sweep resources under {@code
 * dev/midas/cli/presets/}.
 */
public final class DemoPlanLoader {
  public static final List<String> PRESETS = List.of("micro", "tiny", "small", "gpu");
  public static final List<String> DEFAULT_METHODS = List.of("baseline", "gradstack", "midas");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private DemoPlanLoader() {}

  public static DemoPlan preset(String name) throws IOException {
    if (!PRESETS.contains(name)) {
      throw new IllegalArgumentException(
          "--preset " + name + " is not one of " + String.join(", ", PRESETS));
    }
    String resource = "/dev/midas/cli/presets/" + name + ".yaml";
    try (InputStream in = DemoPlanLoader.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("preset " + resource + " is missing from the jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "preset " + name);
    }
  }

  public static DemoPlan file(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--spec " + file + " is not a file");
    }
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  static DemoPlan parse(String text, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidSpecException(source + " is not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidSpecException(source + " must hold a mapping");
    }
    String kind = root.path("kind").asText("");
    Map<String, String> annotations = new LinkedHashMap<>();
    root.path("metadata")
        .path("annotations")
        .fields()
        .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
    String name = root.path("metadata").path("name").asText("demo");
    DemoSettings settings = DemoSettings.fromAnnotations(annotations, source);
    if (kind.equals("StackingSweep")) {
      JsonNode spec = root.path("spec");
      if (!spec.path("template").isObject()) {
        throw new InvalidSpecException(source + ": a StackingSweep needs spec.template");
      }
      checkSingleValued(spec.path("axes"), source);
      List<String> methods = DEFAULT_METHODS;
      JsonNode ops = spec.path("axes").path("operator");
      if (ops.isArray() && ops.size() > 0) {
        methods = new java.util.ArrayList<>();
        for (JsonNode o : ops) {
          methods.add(o.asText());
        }
      }
      ObjectNode template = (ObjectNode) spec.get("template");
      applySingleAxes(template, spec.path("axes"));
      SpecLoader.parse(
          template.toString(), source + " spec.template"); // fails early, naming fields
      return new DemoPlan(name, source, methods, settings, template);
    }
    // A StackingExperiment or a bare spec: SpecLoader checks it; the demo varies its operator.
    SpecLoader.parse(text, source);
    ObjectNode spec =
        root.has("spec") && root.get("spec").isObject()
            ? (ObjectNode) root.get("spec")
            : (ObjectNode) root;
    return new DemoPlan(name, source, DEFAULT_METHODS, settings, spec);
  }

  /** The demo compares methods only: other axes may fix one value, not sweep several. */
  private static void checkSingleValued(JsonNode axes, String source) {
    for (String axis : List.of("blockSize", "alpha", "seed")) {
      JsonNode values = axes.path(axis);
      if (values.isArray() && values.size() > 1) {
        throw new InvalidSpecException(
            source
                + ": spec.axes."
                + axis
                + " has "
                + values.size()
                + " values; the demo sweeps only the operator axis (apply the sweep to a"
                + " cluster to run the whole grid)");
      }
    }
  }

  private static void applySingleAxes(ObjectNode template, JsonNode axes) {
    if (axes.path("blockSize").size() == 1) {
      template.withObject("/growth").set("blockSize", axes.path("blockSize").get(0));
    }
    if (axes.path("alpha").size() == 1) {
      template.withObject("/schedule").set("alpha", axes.path("alpha").get(0));
    }
    if (axes.path("seed").size() == 1) {
      template.set("seed", axes.path("seed").get(0));
    }
  }
}
