package dev.midas.operator.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.TestingApiServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator image's entry point starts as Jib's image starts it: {@code java} with the image's
 * JVM flags, the module's classes plus its runtime classpath (written by the build), and the main
 * class, configured only by environment variables. It connects to an API server from a kubeconfig
 * and answers its probes and metrics.
 */
class OperatorImageEntryPointTest {
  @TempDir Path tmp;

  @Test
  void entryPointConnectsAndServesProbesAndMetrics() throws Exception {
    String classpath =
        "target/classes:" + Files.readString(Path.of("target", "image-classpath.txt")).trim();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (TestingApiServer api = TestingApiServer.start()) {
      Path kubeconfig = api.writeKubeconfig(tmp);
      ProcessBuilder pb =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-XX:MaxRAMPercentage=75",
                      "-cp",
                      classpath,
                      "dev.midas.operator.OperatorMain"))
              .redirectErrorStream(true)
              .redirectOutput(tmp.resolve("operator.log").toFile());
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      pb.environment().put("MIDAS_METRICS_PORT", Integer.toString(port));
      pb.environment().put("MIDAS_DEFAULT_STORAGE_ROOT", tmp.resolve("store").toUri().toString());
      Process p = pb.start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        Await.until(
            Duration.ofSeconds(60),
            () -> get(http, port, "/readyz").statusCode() == 200,
            () -> log(tmp));
        assertThat(get(http, port, "/healthz").body()).isEqualTo("ok\n");
        assertThat(get(http, port, "/metrics").body()).contains("operator_sdk").contains("jvm");
      } finally {
        p.destroy();
        p.waitFor();
      }
    }
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String log(Path tmp) {
    try {
      return Files.readString(tmp.resolve("operator.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
