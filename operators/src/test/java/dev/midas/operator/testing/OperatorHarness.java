package dev.midas.operator.testing;

import dev.midas.checkpoint.CheckpointStore;
import dev.midas.operator.MidasOperator;
import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.StackingSweep;
import dev.midas.operator.config.OperatorConfig;
import dev.midas.operator.store.CachingRunStores;
import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.CheckpointManifest;
import dev.midas.run.RunReader;
import dev.midas.store.ObjectStore;
import dev.midas.store.ObjectStores;
import dev.midas.store.S3ProxyStore;
import dev.midas.store.StoreOptions;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A whole cluster on one machine for scenario tests: the mock API server, the operator started as
 * in production (only the poll interval is short), a {@link TestingKubelet} running stage Jobs as
 * local processes, and an object store. Two set-ups: {@link #onS3} runs the real stage runner
 * against an in-process S3Proxy, its credentials reaching the stage pods only through the Secret
 * the experiments name ({@link #STORE_SECRET}); the other constructors run {@link FakeStageRunner}
 * against a {@code file://} folder, for tests about the operator's own logic.
 */
public final class OperatorHarness implements AutoCloseable {
  public static final String IMAGE = "midas/stage-runner:test";

  /** Main class of the fake stage runner (fast, no DJL). */
  public static final String FAKE_RUNNER = FakeStageRunner.class.getName();

  /** The stage image's entry point (DJL on the CPU): stages, evaluations and sweep reports. */
  public static final String REAL_RUNNER = "dev.midas.stacking.runner.PodMain";

  /** The Secret {@link #onS3} puts in every namespace and experiments name in storage.secretRef. */
  public static final String STORE_SECRET = "midas-store-credentials";

  private final TestingApiServer api;
  private final String rootUri;
  private final Optional<String> endpoint;
  private final Map<String, String> credentials;
  private final ObjectStore store;
  private final TestingKubelet kubelet;
  private final Map<String, String> env;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private MidasOperator operator;
  private KubernetesClient operatorClient;
  private CachingRunStores stores;
  private final TestingRunStores runStores = new TestingRunStores();
  private final Consumer<OperatorConfig.Builder> configure;

  public OperatorHarness(Path tmp) throws IOException {
    this(tmp, Map.of());
  }

  /**
   * The fake stage runner against a {@code file://} folder under {@code tmp}.
   *
   * @param env test knobs every stage process gets ({@code FAKE_STEP_MILLIS}, {@code FAKE_EXIT})
   */
  public OperatorHarness(Path tmp, Map<String, String> env) throws IOException {
    this(tmp, env, b -> {});
  }

  /**
   * The fake stage runner, with the operator's configuration changed by {@code configure} (after
   * the harness's own settings: a 200 ms poll, quick retries).
   */
  public OperatorHarness(
      Path tmp, Map<String, String> env, Consumer<OperatorConfig.Builder> configure)
      throws IOException {
    this(
        tmp,
        env,
        FAKE_RUNNER,
        Files.createDirectories(tmp.resolve("store")).toUri().toString(),
        null,
        configure);
  }

  /**
   * The real stage runner against S3Proxy: runs go under {@code s3://<test bucket>/midas}; the
   * operator reads them with the test process's credentials (the AWS default chain), the stage pods
   * with those of the {@link #STORE_SECRET} Secret, resolved by the kubelet.
   */
  public static OperatorHarness onS3(Path tmp, S3ProxyStore s3) throws IOException {
    return new OperatorHarness(
        tmp, Map.of(), REAL_RUNNER, s3.root("midas").toString(), s3, b -> {});
  }

  private OperatorHarness(
      Path tmp,
      Map<String, String> env,
      String runner,
      String rootUri,
      S3ProxyStore s3,
      Consumer<OperatorConfig.Builder> configure)
      throws IOException {
    this.configure = configure;
    this.rootUri = rootUri;
    this.endpoint = Optional.ofNullable(s3).map(s -> s.endpoint().toString());
    this.credentials =
        s3 == null
            ? Map.of()
            : Map.of(
                "AWS_ACCESS_KEY_ID",
                s3.env().get("AWS_ACCESS_KEY_ID"),
                "AWS_SECRET_ACCESS_KEY",
                s3.env().get("AWS_SECRET_ACCESS_KEY"));
    this.store = ObjectStores.open(rootUri, s3 == null ? StoreOptions.DEFAULTS : s3.options());
    this.api = TestingApiServer.start();
    this.env = new HashMap<>(env);
    this.kubelet =
        new TestingKubelet(
            api.client(),
            Map.of(IMAGE, entrypoint(runner)),
            this.env,
            Files.createDirectories(tmp.resolve("pods")));
    startOperator();
  }

  public void startOperator() {
    startOperator(b -> {});
  }

  /** Starts the operator with its configuration changed once more by {@code change}. */
  public void startOperator(Consumer<OperatorConfig.Builder> change) {
    operatorClient = api.newOperatorClient();
    OperatorConfig built = config(change);
    stores = new CachingRunStores(operatorClient, built, Clock.systemUTC());
    runStores.delegateTo(stores);
    operator = MidasOperator.start(operatorClient, built, runStores, Clock.systemUTC(), registry);
  }

  /**
   * The harness's settings (a 200 ms poll, quick retries, Secrets read again after 2 s), the
   * test's, then {@code change}.
   */
  private OperatorConfig config(Consumer<OperatorConfig.Builder> change) {
    OperatorConfig.Builder config =
        OperatorConfig.builder()
            .stageImage(IMAGE)
            .defaultStorageRoot(Optional.of(rootUri))
            .defaultStorageEndpoint(endpoint)
            .pollInterval(Duration.ofMillis(200))
            .terminationGracePeriodSeconds(30)
            .metricsPort(0)
            .retryInitialInterval(Duration.ofMillis(200))
            .retryMaxInterval(Duration.ofSeconds(1))
            .pendingTimeout(Duration.ofSeconds(2))
            .heartbeatTimeout(Duration.ofSeconds(60))
            .credentialsTtl(Duration.ofSeconds(2))
            // Tests ask for images, priority classes and node selectors freely; AllowListTest not.
            .allowedImages(List.of("*"))
            .allowedPriorityClasses(List.of("gpu-high", "low"))
            .allowedNodeSelectors(List.of("*"));
    configure.accept(config);
    change.accept(config);
    return config.build();
  }

  /** A second operator process on the same API server: its own client, stores and metrics. */
  public record Replica(
      MidasOperator operator,
      KubernetesClient client,
      CachingRunStores stores,
      PrometheusMeterRegistry registry)
      implements AutoCloseable {
    @Override
    public void close() {
      operator.close();
      client.close();
      stores.close();
    }
  }

  /** Starts another replica of the operator, as a Deployment with two replicas would. */
  public Replica startReplica(Consumer<OperatorConfig.Builder> change) {
    KubernetesClient c = api.newOperatorClient();
    OperatorConfig built = config(change);
    CachingRunStores s = new CachingRunStores(c, built, Clock.systemUTC());
    PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return new Replica(MidasOperator.start(c, built, s, Clock.systemUTC(), r), c, s, r);
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

  /** The running operator (probes, leadership). */
  public MidasOperator operator() {
    return operator;
  }

  /** The operator's view of the stores, with an outage switch. */
  public TestingRunStores stores() {
    return runStores;
  }

  public TestingKubelet kubelet() {
    return kubelet;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public String rootUri() {
    return rootUri;
  }

  /** The runs' object store, opened as the test's own reader. */
  public ObjectStore store() {
    return store;
  }

  /** Committed checkpoints of the runs, read from the store. */
  public CheckpointStore checkpoints() {
    return new CheckpointStore(store);
  }

  /** The runs' state in the store, read as the operator reads it. */
  public RunReader runs() {
    return new RunReader(store);
  }

  /**
   * Waits until stage {@code stage} of {@code run} has committed a checkpoint at global step {@code
   * atLeast} or later; returns that checkpoint's step.
   */
  public long awaitCheckpoint(RunLayout run, int stage, long atLeast, Duration timeout) {
    AtomicLong seen = new AtomicLong();
    Await.until(
        timeout,
        () -> {
          Optional<URI> latest = runs().latest(run, stage);
          if (latest.isPresent()) {
            seen.set(checkpoints().manifest(latest.get()).getPosition().getGlobalStep());
          }
          return seen.get() >= atLeast;
        },
        () -> "stage " + stage + " of " + run.uid() + " has checkpoints up to step " + seen.get());
    return seen.get();
  }

  /** The committed manifest at {@code uri}. */
  public CheckpointManifest manifest(String uri) throws IOException {
    return checkpoints().manifest(URI.create(uri));
  }

  /** Creates the namespace and, on S3, the store Secret in it. */
  public void namespace(String ns) {
    client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .createOr(x -> x.update());
    if (!credentials.isEmpty()) {
      client()
          .secrets()
          .inNamespace(ns)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(STORE_SECRET)
                  .withNamespace(ns)
                  .endMetadata()
                  .withStringData(credentials)
                  .build())
          .createOr(x -> x.update());
    }
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

  /**
   * The command the stage image starts: java with the image's flags, the classpath, the runner. The
   * real runner trains on one thread ({@code midas.threads}): several stages share the test
   * machine's cores.
   */
  private static List<String> entrypoint(String runner) {
    List<String> jvm =
        FAKE_RUNNER.equals(runner)
            ? List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m")
            : List.of("-Dai.djl.offline=true", "-Dmidas.threads=1", "-Xmx1g");
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
    store.close();
  }
}
