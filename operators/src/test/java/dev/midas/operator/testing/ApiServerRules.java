package dev.midas.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.function.Function;

/**
 * What a real API server does that Fabric8's CRUD mock leaves out, so that the operator is tested
 * against it: RBAC refusals (403) where a test forbids the operator a path, optimistic concurrency
 * (a PUT whose resourceVersion is not the stored one is refused with 409 Conflict), and answering a
 * SelfSubjectRulesReview (JOSDK asks one before leader election) with the Lease permissions the
 * operator's Role grants.
 */
final class ApiServerRules {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiServerRules() {}

  /** The answer of these rules, or null to let the CRUD dispatcher answer. */
  static MockResponse answer(
      RecordedRequest request, Function<RecordedRequest, MockResponse> crud) {
    String path = request.getPath() == null ? "" : request.getPath();
    if ("POST".equals(request.getMethod()) && path.contains("/selfsubjectrulesreviews")) {
      return json(
          201,
          "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\","
              + "\"spec\":{},\"status\":{\"incomplete\":false,\"nonResourceRules\":[],"
              + "\"resourceRules\":[{\"apiGroups\":[\"coordination.k8s.io\"],"
              + "\"resources\":[\"leases\"],\"verbs\":[\"get\",\"create\",\"update\"]}]}}");
    }
    if ("PUT".equals(request.getMethod())) {
      return conflictIfStale(request, path, crud);
    }
    return null;
  }

  /**
   * 403 Forbidden, worded as a real API server words an RBAC refusal, for a request under one of
   * {@code prefixes}; null otherwise.
   */
  static MockResponse forbidden(RecordedRequest request, java.util.List<String> prefixes) {
    String path = request.getPath() == null ? "" : request.getPath();
    if (prefixes.stream().noneMatch(path::startsWith)) {
      return null;
    }
    String[] p = path.replaceAll("\\?.*$", "").split("/");
    String name = p[p.length - 1];
    String resource = p.length > 1 ? p[p.length - 2] : "";
    String ns = path.replaceAll("^.*/namespaces/([^/]+)/.*$|^.*$", "$1");
    var status = JSON.createObjectNode();
    status.put("kind", "Status").put("apiVersion", "v1").put("status", "Failure");
    status.put("reason", "Forbidden").put("code", 403);
    status.putObject("details").put("name", name).put("kind", resource);
    status.put(
        "message",
        String.format(
            "%s \"%s\" is forbidden: User \"system:serviceaccount:midas-system:midas-operator\""
                + " cannot %s resource \"%s\" in API group \"\" in the namespace \"%s\"",
            resource, name, request.getMethod().toLowerCase(java.util.Locale.ROOT), resource, ns));
    return json(403, status.toString());
  }

  private static MockResponse conflictIfStale(
      RecordedRequest request, String path, Function<RecordedRequest, MockResponse> crud) {
    String sent;
    try {
      // getBytes() leaves the body for the CRUD dispatcher; reading it as text would consume it.
      JsonNode body =
          JSON.readTree(
              new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8));
      sent = body.path("metadata").path("resourceVersion").asText("");
    } catch (Exception e) {
      return null;
    }
    if (sent.isEmpty()) {
      return null;
    }
    String object = path.replaceAll("\\?.*$", "").replaceAll("/status$", "");
    MockResponse current =
        crud.apply(
            new RecordedRequest(
                "GET " + object + " HTTP/1.1",
                HttpMethod.GET,
                object,
                request.getHeaders(),
                new Buffer()));
    if (current.code() != 200) {
      return null;
    }
    try {
      String stored =
          JSON.readTree(current.getBody().readUtf8())
              .path("metadata")
              .path("resourceVersion")
              .asText("");
      if (stored.isEmpty() || stored.equals(sent)) {
        return null;
      }
    } catch (Exception e) {
      return null;
    }
    return json(
        409,
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Conflict\","
            + "\"code\":409,\"message\":\"Operation cannot be fulfilled on "
            + object
            + ": the object has been modified; please apply your changes to the latest version"
            + " and try again\"}");
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }
}
