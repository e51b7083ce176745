package dev.midas.operator.testing;

import dev.midas.store.S3ProxyStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension giving a test class its own {@link OperatorHarness#onS3} cluster: the real
 * stage runner against a fresh in-process S3Proxy, in a temp folder removed afterwards.
 *
 * <pre>
 * &#64;RegisterExtension static final RealRunnerCluster CLUSTER = new RealRunnerCluster();
 * OperatorHarness cluster = CLUSTER.get();
 * </pre>
 */
public final class RealRunnerCluster implements BeforeAllCallback, AfterAllCallback {
  private final S3ProxyStore s3 = new S3ProxyStore();
  private Path tmp;
  private OperatorHarness cluster;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    s3.beforeAll(context);
    tmp = Files.createTempDirectory("midas-operator-");
    cluster = OperatorHarness.onS3(tmp, s3);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      s3.afterAll(context);
      delete(tmp);
    }
  }

  public OperatorHarness get() {
    return cluster;
  }

  /** The in-process S3 server the runs live in. */
  public S3ProxyStore s3() {
    return s3;
  }

  static void delete(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
