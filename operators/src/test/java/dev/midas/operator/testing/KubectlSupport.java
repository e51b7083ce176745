package dev.midas.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the mock API server lacks for kubectl: discovery documents (core, batch and our group) and
 * server-side printing (a meta.k8s.io Table built from the CRD's printer columns, as the real API
 * server does), so {@code kubectl get sx} shows PHASE, STAGE, STEP, LOSS and AGE.
 */
final class KubectlSupport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String[]> CORE =
      Map.of(
          "namespaces", new String[] {"Namespace", "false", "ns"},
          "pods", new String[] {"Pod", "true", "po"},
          "configmaps", new String[] {"ConfigMap", "true", "cm"},
          "secrets", new String[] {"Secret", "true", ""},
          "events", new String[] {"Event", "true", "ev"},
          "services", new String[] {"Service", "true", "svc"},
          "serviceaccounts", new String[] {"ServiceAccount", "true", "sa"});

  private final List<CustomResourceDefinition> crds;

  KubectlSupport(List<CustomResourceDefinition> crds) {
    this.crds = crds;
  }

  /** The answer for discovery and Table requests, or null to let the CRUD dispatcher answer. */
  MockResponse answer(RecordedRequest request, Function<RecordedRequest, MockResponse> crud) {
    String path = request.getPath().replaceAll("\\?.*$", "");
    try {
      switch (path) {
        case "/api":
          return json(
              "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
                  + "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1\"}]}");
        case "/apis":
          return json(groups());
        case "/api/v1":
          return json(coreResources());
        case "/apis/batch/v1":
          return json(resourceList("batch/v1", Map.of("jobs", new String[] {"Job", "true", ""})));
        default:
          break;
      }
      for (CustomResourceDefinition crd : crds) {
        String gv = crd.getSpec().getGroup() + "/" + version(crd).getName();
        if (path.equals("/apis/" + gv)) {
          return json(crdResources(gv));
        }
      }
      String accept = request.getHeader("Accept");
      if ("GET".equals(request.getMethod()) && accept != null && accept.contains("as=Table")) {
        return table(request, crud, path);
      }
      return null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String groups() {
    ArrayNode groups = JSON.createArrayNode();
    addGroup(groups, "batch", "v1");
    for (CustomResourceDefinition crd : crds) {
      boolean seen = false;
      for (JsonNode g : groups) {
        seen |= g.get("name").asText().equals(crd.getSpec().getGroup());
      }
      if (!seen) {
        addGroup(groups, crd.getSpec().getGroup(), version(crd).getName());
      }
    }
    ObjectNode list = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    list.set("groups", groups);
    return list.toString();
  }

  private static void addGroup(ArrayNode groups, String name, String version) {
    ObjectNode gv =
        JSON.createObjectNode().put("groupVersion", name + "/" + version).put("version", version);
    ObjectNode g = groups.addObject().put("name", name);
    g.putArray("versions").add(gv);
    g.set("preferredVersion", gv);
  }

  private String coreResources() {
    return resourceList("v1", CORE);
  }

  private static String resourceList(String gv, Map<String, String[]> resources) {
    ObjectNode list =
        JSON.createObjectNode()
            .put("kind", "APIResourceList")
            .put("apiVersion", "v1")
            .put("groupVersion", gv);
    ArrayNode rs = list.putArray("resources");
    resources.forEach(
        (plural, v) -> {
          ObjectNode r =
              rs.addObject()
                  .put("name", plural)
                  .put("singularName", v[0].toLowerCase())
                  .put("namespaced", Boolean.parseBoolean(v[1]))
                  .put("kind", v[0]);
          ArrayNode verbs = r.putArray("verbs");
          List.of("create", "delete", "get", "list", "patch", "update", "watch")
              .forEach(verbs::add);
          if (!v[2].isEmpty()) {
            r.putArray("shortNames").add(v[2]);
          }
        });
    return list.toString();
  }

  private String crdResources(String gv) {
    ObjectNode list =
        JSON.createObjectNode()
            .put("kind", "APIResourceList")
            .put("apiVersion", "v1")
            .put("groupVersion", gv);
    ArrayNode rs = list.putArray("resources");
    for (CustomResourceDefinition crd : crds) {
      if (!gv.equals(crd.getSpec().getGroup() + "/" + version(crd).getName())) {
        continue;
      }
      var names = crd.getSpec().getNames();
      ObjectNode r =
          rs.addObject()
              .put("name", names.getPlural())
              .put("singularName", names.getSingular())
              .put("namespaced", "Namespaced".equals(crd.getSpec().getScope()))
              .put("kind", names.getKind());
      ArrayNode verbs = r.putArray("verbs");
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
          .forEach(verbs::add);
      ArrayNode shorts = r.putArray("shortNames");
      names.getShortNames().forEach(shorts::add);
      r.putArray("categories").add("all");
      rs.addObject()
          .put("name", names.getPlural() + "/status")
          .put("singularName", "")
          .put("namespaced", true)
          .put("kind", names.getKind())
          .putArray("verbs")
          .add("get")
          .add("patch")
          .add("update");
    }
    return list.toString();
  }

  /** Server-side printing of a custom resource list or object, from the CRD's printer columns. */
  private MockResponse table(
      RecordedRequest request, Function<RecordedRequest, MockResponse> crud, String path)
      throws Exception {
    CustomResourceDefinition crd = null;
    for (CustomResourceDefinition c : crds) {
      if (path.contains("/apis/" + c.getSpec().getGroup() + "/")
          && path.matches(".*/" + c.getSpec().getNames().getPlural() + "(/[^/]+)?$")) {
        crd = c;
      }
    }
    if (crd == null) {
      return null;
    }
    MockResponse plain = crud.apply(request);
    if (plain.code() != 200) {
      return plain;
    }
    JsonNode body = JSON.readTree(plain.getBody().readUtf8());
    List<CustomResourceColumnDefinition> columns = version(crd).getAdditionalPrinterColumns();
    ObjectNode table =
        JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    table
        .putObject("metadata")
        .put("resourceVersion", body.path("metadata").path("resourceVersion").asText(""));
    ArrayNode defs = table.putArray("columnDefinitions");
    defs.addObject()
        .put("name", "Name")
        .put("type", "string")
        .put("format", "name")
        .put("description", "")
        .put("priority", 0);
    for (CustomResourceColumnDefinition c : columns) {
      defs.addObject()
          .put("name", c.getName())
          .put("type", c.getType())
          .put("format", "")
          .put("description", "")
          .put("priority", c.getPriority() == null ? 0 : c.getPriority());
    }
    ArrayNode rows = table.putArray("rows");
    Iterable<JsonNode> items = body.has("items") ? body.get("items") : List.of(body);
    for (JsonNode item : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells.add(item.path("metadata").path("name").asText());
      for (CustomResourceColumnDefinition c : columns) {
        JsonNode v = at(item, c.getJsonPath());
        if (v.isMissingNode() || v.isNull()) {
          cells.addNull();
        } else if ("date".equals(c.getType())) {
          cells.add(age(Instant.parse(v.asText())));
        } else {
          cells.add(v);
        }
      }
      ObjectNode partial =
          row.putObject("object")
              .put("kind", "PartialObjectMetadata")
              .put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", item.path("metadata"));
    }
    return json(table.toString());
  }

  private static JsonNode at(JsonNode node, String jsonPath) {
    JsonNode n = node;
    for (String part : jsonPath.substring(1).split("\\.")) {
      n = n.path(part);
    }
    return n;
  }

  private static String age(Instant created) {
    Duration d = Duration.between(created, Instant.now());
    long s = Math.max(0, d.toSeconds());
    return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s / 3600 + "h";
  }

  private static CustomResourceDefinitionVersion version(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().get(0);
  }

  private static MockResponse json(String body) {
    return new MockResponse()
        .setResponseCode(200)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }
}
