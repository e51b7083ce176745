package dev.midas.operator.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fabric8's mock API server in CRUD mode, driven like a cluster: our CRDs from {@code k8s/crds} are
 * installed (so {@code /status} is a subresource), stale updates are refused as a real server
 * refuses them ({@link ApiServerRules}), and a few discovery documents plus server-side Table
 * printing are served so that {@code kubectl} can talk to it.
 */
public final class TestingApiServer implements AutoCloseable {
  public static final Path CRDS = Path.of("..", "k8s", "crds");

  /** The mock logs every request at INFO through java.util.logging; keep tests readable. */
  private static final java.util.logging.Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final List<CustomResourceDefinition> crds;
  private final List<String> operatorRequests;
  private final List<String> forbidden;

  /** The User-Agent of operator clients, whose requests are recorded. */
  static final String OPERATOR_AGENT = "midas-operator-under-test";

  private TestingApiServer(
      KubernetesMockServer server,
      KubernetesClient client,
      List<CustomResourceDefinition> crds,
      List<String> operatorRequests,
      List<String> forbidden) {
    this.forbidden = forbidden;
    this.server = server;
    this.client = client;
    this.crds = crds;
    this.operatorRequests = operatorRequests;
  }

  public static TestingApiServer start() throws IOException {
    List<CustomResourceDefinition> crds = loadCrds();
    KubectlSupport kubectl = new KubectlSupport(crds);
    List<String> operatorRequests = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> forbidden = new java.util.concurrent.CopyOnWriteArrayList<>();
    KubernetesCrudDispatcher dispatcher =
        new KubernetesCrudDispatcher(new ArrayList<>()) {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            MockResponse r = null;
            if (OPERATOR_AGENT.equals(request.getHeader("User-Agent"))) {
              operatorRequests.add(request.getMethod() + " " + request.getPath());
              r = ApiServerRules.forbidden(request, forbidden);
            }
            if (r == null) {
              r = ApiServerRules.answer(request, super::dispatch);
            }
            if (r == null) {
              r = kubectl.answer(request, super::dispatch);
            }
            return r != null ? r : super.dispatch(request);
          }
        };
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    KubernetesClient client = server.createClient();
    for (CustomResourceDefinition crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
    return new TestingApiServer(server, client, crds, operatorRequests, forbidden);
  }

  /**
   * Refuses the operator's requests under {@code pathPrefix} (e.g. {@code
   * /api/v1/namespaces/ns/secrets/}) with 403 Forbidden, as RBAC refuses what no binding grants;
   * other clients (the kubelet, the test) are still served.
   */
  public void forbid(String pathPrefix) {
    forbidden.add(pathPrefix);
  }

  /** Serves {@code pathPrefix} to the operator again, as a new RoleBinding would. */
  public void allow(String pathPrefix) {
    forbidden.remove(pathPrefix);
  }

  /** A client as the operator's: its requests are recorded ({@link #operatorRequests}). */
  public KubernetesClient newOperatorClient() {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(client.getConfiguration()).withUserAgent(OPERATOR_AGENT).build())
        .build();
  }

  /** Every request an operator client made so far, as {@code METHOD /path?query}. */
  public List<String> operatorRequests() {
    return List.copyOf(operatorRequests);
  }

  public KubernetesClient client() {
    return client;
  }

  /** A fresh client of its own (an operator instance gets one, like a separate process would). */
  public KubernetesClient newClient() {
    return server.createClient();
  }

  /** The server's URL, for a kubeconfig. */
  public String url() {
    return server.url("/");
  }

  /** A kubeconfig pointing at this server, as kubectl and an operator process read it. */
  public Path writeKubeconfig(Path dir) throws IOException {
    String server = url().endsWith("/") ? url().substring(0, url().length() - 1) : url();
    Path f = dir.resolve("kubeconfig");
    Files.writeString(
        f,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: mock",
            "  cluster:",
            "    server: " + server,
            "users:",
            "- name: tester",
            "  user:",
            "    token: test",
            "contexts:",
            "- name: mock",
            "  context:",
            "    cluster: mock",
            "    user: tester",
            "    namespace: default",
            "current-context: mock",
            ""));
    return f;
  }

  public List<CustomResourceDefinition> crds() {
    return crds;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
    l.setLevel(java.util.logging.Level.WARNING);
    return l;
  }

  private static List<CustomResourceDefinition> loadCrds() throws IOException {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    try (Stream<Path> files = Files.list(CRDS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          crds.add(Serialization.unmarshal(in, CustomResourceDefinition.class));
        }
      }
    }
    return crds;
  }
}
