package dev.midas.plan.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads an experiment spec from YAML or JSON (JSON is YAML). The file may be a bare spec or a whole
 * {@code StackingExperiment} resource ({@code apiVersion, kind, metadata, spec}), so the file a
 * user runs locally is the one they {@code kubectl apply}. Unknown fields are errors that name the
 * field: a misspelt key must never silently fall back to a default.
 */
public final class SpecLoader {
  public static final String KIND = "StackingExperiment";
  private static final Set<String> RESOURCE_FIELDS =
      Set.of("apiVersion", "kind", "metadata", "spec", "status");

  private static final ObjectMapper MAPPER =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private SpecLoader() {}

  /** Reads a spec file. */
  public static SpecDocument load(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Parses spec text; {@code source} names it in messages.
   *
   * @throws InvalidSpecException when the text is not a spec
   */
  public static SpecDocument parse(String text, String source) {
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidSpecException(
          source + " is not valid YAML or JSON: " + e.getOriginalMessage() + location(e));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new InvalidSpecException(source + " is empty");
    }
    if (!root.isObject()) {
      throw new InvalidSpecException(source + " must hold a mapping, not a " + root.getNodeType());
    }
    if (isResource((ObjectNode) root)) {
      return resource(root, source);
    }
    return new SpecDocument(Optional.empty(), Optional.empty(), spec(root, "", source));
  }

  /** The text of a spec as JSON, for freezing it into the object store. */
  public static String toJson(ExperimentSpec spec) {
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a spec", e);
    }
  }

  private static boolean isResource(ObjectNode root) {
    return root.has("kind") || root.has("apiVersion") || root.has("spec");
  }

  private static SpecDocument resource(JsonNode root, String source) {
    List<String> problems = new ArrayList<>();
    root.fieldNames()
        .forEachRemaining(
            f -> {
              if (!RESOURCE_FIELDS.contains(f)) {
                problems.add(
                    "unknown field '"
                        + f
                        + "' in "
                        + source
                        + " (known: "
                        + new TreeSet<>(RESOURCE_FIELDS)
                        + ")");
              }
            });
    String kind = root.path("kind").asText("");
    if (!KIND.equals(kind)) {
      problems.add(source + " has kind '" + kind + "', expected " + KIND);
    }
    if (!root.path("spec").isObject()) {
      problems.add(source + " has no spec mapping");
    }
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
    JsonNode meta = root.path("metadata");
    return new SpecDocument(
        text(meta.path("name")), text(meta.path("uid")), spec(root.get("spec"), "spec.", source));
  }

  private static Optional<String> text(JsonNode n) {
    return n.isTextual() && !n.asText().isEmpty() ? Optional.of(n.asText()) : Optional.empty();
  }

  private static ExperimentSpec spec(JsonNode node, String prefix, String source) {
    try {
      return MAPPER.treeToValue(node, ExperimentSpec.class);
    } catch (UnrecognizedPropertyException e) {
      String known =
          e.getKnownPropertyIds().stream()
              .map(Object::toString)
              .sorted()
              .collect(Collectors.joining(", "));
      throw new InvalidSpecException(
          "unknown field " + prefix + path(e) + " in " + source + " (known here: " + known + ")");
    } catch (MismatchedInputException e) {
      throw new InvalidSpecException(
          prefix + path(e) + " in " + source + " must be " + expected(e.getTargetType()));
    } catch (JsonMappingException e) {
      throw new InvalidSpecException(
          prefix + path(e) + " in " + source + ": " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new InvalidSpecException(source + ": " + e.getOriginalMessage());
    }
  }

  private static String expected(Class<?> type) {
    if (type == Integer.class || type == Long.class) {
      return "a whole number";
    }
    if (type == Double.class) {
      return "a number";
    }
    if (type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type != null && java.util.Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a mapping";
  }

  /** {@code model.dModel} or {@code growth.map[1][3]} from Jackson's reference chain. */
  private static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }
}
