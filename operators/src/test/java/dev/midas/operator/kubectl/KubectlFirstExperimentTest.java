package dev.midas.operator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.OperatorHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Does what the README tells a user, with Debian's real kubectl against the mock API server: apply
 * the example namespace and experiment, watch {@code kubectl get sx} move to Succeeded, and delete
 * it. kubectl is installed with apt-get where it is missing; the test is skipped, saying why, only
 * where that is impossible. The stages run on the fake stage runner: the example's model is sized
 * for a GPU, and what this test checks is what kubectl shows.
 */
class KubectlFirstExperimentTest {
  private static final String NS = "midas-experiments";
  @TempDir static Path tmp;
  static OperatorHarness cluster;
  static String kubectl;
  static Path kubeconfig;

  @BeforeAll
  static void start() throws Exception {
    kubectl = Kubectl.find();
    Assumptions.assumeTrue(kubectl != null, Kubectl.whyMissing());
    cluster = new OperatorHarness(tmp);
    kubeconfig = cluster.api().writeKubeconfig(tmp);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void applyThenGetShowsThePrinterColumnsMovingToSucceeded() throws Exception {
    assertThat(run("apply", "--validate=false", "-f", "../k8s/experiments/namespace.yaml"))
        .contains("created");
    // The example experiment's store credentials, as the dev overlay installs them.
    assertThat(run("apply", "--validate=false", "-f", "../k8s/dev/store-credentials.yaml"))
        .contains("created");
    assertThat(run("apply", "--validate=false", "-f", "../k8s/examples/experiment.yaml"))
        .contains("stackingexperiment.midas.dev/midas-tiny created");

    List<String> seen = new ArrayList<>();
    Await.until(
        Duration.ofSeconds(90),
        () -> {
          String out = run("get", "sx", "-n", NS);
          seen.add(out);
          return out.contains("Succeeded");
        },
        () -> String.join("\n---\n", seen.subList(Math.max(0, seen.size() - 3), seen.size())));

    String last = seen.get(seen.size() - 1);
    assertThat(last.lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "PHASE", "STAGE", "STEP", "LOSS", "VAL-LOSS", "AGE");
    // VAL-LOSS: the evaluation's final validation loss (kubectl prints <none> until there is one).
    assertThat(last.lines().skip(1).findFirst().orElseThrow().split("\\s+"))
        .startsWith("midas-tiny")
        .contains("Succeeded", "3/3", "600")
        .doesNotContain("<none>");
    assertThat(seen)
        .anySatisfy(o -> assertThat(o).containsPattern("midas-tiny\\s+(Running|Pending)\\s"));
    assertThat(run("wait", "--for=condition=Succeeded", "sx/midas-tiny", "-n", NS, "--timeout=30s"))
        .contains("condition met");
    String wide = run("get", "sx", "-n", NS, "-o", "wide");
    assertThat(wide.lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly(
            "NAME",
            "PHASE",
            "STAGE",
            "STEP",
            "LOSS",
            "VAL-LOSS",
            "REASON",
            "MESSAGE",
            "REPORT",
            "AGE");
    assertThat(wide).contains("AllStagesSucceeded").contains("/report/report.md");

    assertThat(run("delete", "-f", "../k8s/examples/experiment.yaml")).contains("deleted");
    assertThat(run("get", "sx", "-n", NS)).doesNotContain("midas-tiny");
  }

  private static String run(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(kubectl, "--request-timeout=10s", "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(tmp, "kubectl", ".out");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean exited = p.waitFor(30, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    if (!exited || p.exitValue() != 0) {
      throw new AssertionError(
          "kubectl " + String.join(" ", args) + (exited ? " failed" : " hung") + ":\n" + out);
    }
    return out;
  }
}
