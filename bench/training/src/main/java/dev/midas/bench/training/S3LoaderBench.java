package dev.midas.bench.training;

import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.store.ObjectStore;
import dev.midas.store.S3ProxyStore;

/**
 * {@link LoaderBench} through the store's {@code s3://} client: the shards go to and come back from
 * an in-process S3Proxy (the S3 protocol over local HTTP, blobs in memory), so the open figure
 * includes request signing, HTTP and the SDK's checksums that a real bucket adds on top of the
 * network. S3Proxy comes through the store's test extension, which only benchmarks and tests use.
 *
 * <pre>
 * S3LoaderBench [--size small|large] [--windows 20000] [--shards 8] [--batches 20000] [--threads 2]
 * </pre>
 */
public final class S3LoaderBench {
  private S3LoaderBench() {}

  public static void main(String[] args) throws Exception {
    // S3Proxy's embedded Jetty reports every start and stop at INFO.
    System.setProperty("org.slf4j.simpleLogger.log.org.gaul", "warn");
    BenchArgs a = new BenchArgs(args);
    S3ProxyStore s3 = new S3ProxyStore();
    s3.beforeAll(null);
    try (ObjectStore store = s3.open("loader-bench")) {
      LoaderBench.measure(
          store,
          BenchSizes.named(a.string("--size", "small")),
          a.integer("--windows", 20_000),
          a.integer("--shards", 8),
          a.integer("--batches", 20_000),
          a.integer("--threads", PyTorchRuntime.defaultThreads()));
    } finally {
      s3.afterAll(null);
    }
  }
}
