package dev.midas.operator.testing;

import dev.midas.operator.MidasOperator;
import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.StackingSweep;
import dev.midas.operator.config.OperatorConfig;
import dev.midas.operator.store.CachingRunStores;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A whole cluster on one machine for scenario tests: the mock API server, the operator started as
 * in production (only the poll interval is short), a {@link TestingKubelet} running stage Jobs as
 * local processes of {@link FakeStageRunner}, and a {@code file://} object store in a temp folder.
 */
public final class OperatorHarness implements AutoCloseable {
  public static final String IMAGE = "midas/stage-runner:test";

  /** Main class of the fake stage runner (fast, no DJL). */
  public static final String FAKE_RUNNER = FakeStageRunner.class.getName();

  /** Main class of the real stage runner (DJL on the CPU), what the stage-runner image starts. */
  public static final String REAL_RUNNER = "dev.midas.stacking.runner.StageRunner";

  private final TestingApiServer api;
  private final Path root;
  private final TestingKubelet kubelet;
  private final Map<String, String> env;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private MidasOperator operator;
  private KubernetesClient operatorClient;
  private CachingRunStores stores;

  public OperatorHarness(Path tmp) throws IOException {
    this(tmp, Map.of());
  }

  public OperatorHarness(Path tmp, Map<String, String> env) throws IOException {
    this(tmp, env, FAKE_RUNNER);
  }

  /**
   * @param runner main class the stage image starts: {@link #FAKE_RUNNER} or {@link #REAL_RUNNER}
   */
  public OperatorHarness(Path tmp, Map<String, String> env, String runner) throws IOException {
    this.api = TestingApiServer.start();
    this.root = Files.createDirectories(tmp.resolve("store"));
    this.env = new HashMap<>(env);
    this.env.putIfAbsent("FAKE_TRACE", tmp.resolve("trace.log").toString());
    this.kubelet =
        new TestingKubelet(
            api.client(),
            Map.of(IMAGE, entrypoint(runner)),
            this.env,
            Files.createDirectories(tmp.resolve("pods")));
    startOperator();
  }

  public void startOperator() {
    operatorClient = api.newClient();
    stores = new CachingRunStores();
    OperatorConfig config =
        new OperatorConfig(
            IMAGE,
            java.util.Optional.of(rootUri()),
            java.util.Optional.empty(),
            "midas-workload",
            Duration.ofMillis(200),
            30,
            0);
    operator = MidasOperator.start(operatorClient, config, stores, Clock.systemUTC(), registry);
  }

  /** Stops the operator as a crash would, mid-flight; Jobs and their processes keep going. */
  public void stopOperator() throws IOException {
    operator.close();
    operatorClient.close();
    stores.close();
  }

  public KubernetesClient client() {
    return api.client();
  }

  public TestingApiServer api() {
    return api;
  }

  public TestingKubelet kubelet() {
    return kubelet;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public String rootUri() {
    return root.toUri().toString();
  }

  public Path storeDir() {
    return root;
  }

  public Path trace() {
    return Path.of(env.get("FAKE_TRACE"));
  }

  public void namespace(String ns) {
    client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .createOr(x -> x.update());
  }

  public StackingExperiment create(StackingExperiment exp) {
    namespace(exp.getMetadata().getNamespace());
    return client().resources(StackingExperiment.class).resource(exp).create();
  }

  public StackingSweep create(StackingSweep sweep) {
    namespace(sweep.getMetadata().getNamespace());
    return client().resources(StackingSweep.class).resource(sweep).create();
  }

  public StackingExperiment get(String ns, String name) {
    return client().resources(StackingExperiment.class).inNamespace(ns).withName(name).get();
  }

  public List<Job> jobs(String ns) {
    return client().batch().v1().jobs().inNamespace(ns).list().getItems();
  }

  /** Waits (at most {@code timeout}) until the experiment satisfies {@code condition}. */
  public StackingExperiment awaitExperiment(
      String ns, String name, Duration timeout, Predicate<StackingExperiment> condition) {
    Await.until(
        timeout,
        () -> {
          StackingExperiment e = get(ns, name);
          return e != null && e.getStatus() != null && condition.test(e);
        },
        () -> Serialization.asYaml(get(ns, name)));
    return get(ns, name);
  }

  public StackingExperiment awaitPhase(String ns, String name, String phase, Duration timeout) {
    return awaitExperiment(ns, name, timeout, e -> phase.equals(e.getStatus().phase));
  }

  /** An experiment from a YAML resource on the test classpath, put in {@code ns}. */
  public static StackingExperiment experiment(String resource, String ns, String name) {
    try (InputStream in = OperatorHarness.class.getResourceAsStream(resource)) {
      StackingExperiment e = Serialization.unmarshal(in, StackingExperiment.class);
      e.getMetadata().setNamespace(ns);
      e.getMetadata().setName(name);
      return e;
    } catch (IOException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** The command the stage image starts: java with the image's flags, the classpath, the runner. */
  private static List<String> entrypoint(String runner) {
    List<String> jvm =
        FAKE_RUNNER.equals(runner)
            ? List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m")
            : List.of("-Dai.djl.offline=true", "-Xmx1g");
    List<String> cmd = new java.util.ArrayList<>(List.of(javaCommand()));
    cmd.addAll(jvm);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), runner));
    return cmd;
  }

  private static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Override
  public void close() throws Exception {
    stopOperator();
    kubelet.close();
    api.close();
  }
}
