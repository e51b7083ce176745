package dev.midas.operator;

import dev.midas.operator.config.OperatorConfig;
import dev.midas.operator.metrics.MetricsServer;
import dev.midas.operator.store.CachingRunStores;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the operator image: reads {@link OperatorConfig} from the environment, connects to
 * the cluster (in-cluster service account or kubeconfig), starts both controllers and serves
 * metrics and probes until the process is stopped.
 */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    OperatorConfig config = OperatorConfig.fromEnv(System.getenv());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    KubernetesClient client = new KubernetesClientBuilder().build();
    CachingRunStores stores = new CachingRunStores(client, config, Clock.systemUTC());
    MidasOperator operator =
        MidasOperator.start(client, config, stores, Clock.systemUTC(), registry);
    MetricsServer server =
        new MetricsServer(config.metricsPort(), registry, operator::ready, operator::healthy);
    LOG.info("midas operator started; metrics on :{}/metrics", server.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  operator.close();
                  client.close();
                  stopped.countDown();
                }));
    stopped.await();
  }
}
