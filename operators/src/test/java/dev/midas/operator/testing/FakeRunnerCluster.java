package dev.midas.operator.testing;

import dev.midas.operator.config.OperatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension giving a test class its own {@link OperatorHarness} with the fake stage
 * runner on a {@code file://} store, in a temp folder removed afterwards: for scenarios about the
 * operator's own logic, where no real checkpoint matters.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final FakeRunnerCluster CLUSTER = new FakeRunnerCluster(Map.of("FAKE_STEP_MILLIS", "40"));
 * </pre>
 */
public final class FakeRunnerCluster implements BeforeAllCallback, AfterAllCallback {
  private final Map<String, String> env;
  private final Consumer<OperatorConfig.Builder> configure;
  private Path tmp;
  private OperatorHarness cluster;

  /**
   * @param env test knobs of the fake runner ({@code FAKE_STEP_MILLIS}, {@code FAKE_EXIT}, ...)
   */
  public FakeRunnerCluster(Map<String, String> env) {
    this(env, b -> {});
  }

  public FakeRunnerCluster(Map<String, String> env, Consumer<OperatorConfig.Builder> configure) {
    this.env = env;
    this.configure = configure;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    tmp = Files.createTempDirectory("midas-operator-");
    cluster = new OperatorHarness(tmp, env, configure);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      RealRunnerCluster.delete(tmp);
    }
  }

  public OperatorHarness get() {
    return cluster;
  }
}
