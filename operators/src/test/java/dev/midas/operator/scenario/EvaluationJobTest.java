package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.StackingSweep;
import dev.midas.operator.api.SweepAxes;
import dev.midas.operator.api.SweepSpec;
import dev.midas.operator.api.status.EvaluationStatus;
import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.operator.testing.RealRunnerCluster;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.DataSpec;
import dev.midas.plan.spec.ExperimentSpec;
import dev.midas.proto.EvalResult;
import dev.midas.stacking.report.ReportStore;
import dev.midas.stacking.results.DemoResults;
import dev.midas.stacking.results.MethodRun;
import dev.midas.stacking.runner.ExperimentRun;
import dev.midas.stacking.runner.LocalExperimentRunner;
import dev.midas.stacking.testing.TestingDatasets;
import dev.midas.store.FileObjectStore;
import dev.midas.store.ObjectStore;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Experiments with an evaluation section, on the real stage image against S3Proxy: a 2x1 sweep
 * whose children share their first stage compares their reports in one report under the sweep's
 * folder and tabulates them in its status; after each child's last stage the operator runs its
 * evaluation as a Job ({@code evaluate}), and the committed report's numbers are those of the same
 * spec and seed trained and evaluated by the local runner (CPU runs are deterministic). One sweep
 * shows both: its first child is the template's spec unchanged, as a single experiment would be.
 */
class EvaluationJobTest {
  @RegisterExtension static final RealRunnerCluster CLUSTER = new RealRunnerCluster();
  @TempDir static Path local;
  static TestingDatasets.Uris onS3;

  @BeforeAll
  static void datasets() throws Exception {
    onS3 = TestingDatasets.write(CLUSTER.get().store(), 12);
  }

  static ExperimentSpec spec(TestingDatasets.Uris data) {
    ExperimentSpec spec =
        OperatorHarness.experiment("/experiments/tiny-eval.yaml", "x", "x").getSpec();
    spec.data = new DataSpec();
    spec.data.dataset = data.dataset();
    spec.data.primitives = data.primitives();
    return spec;
  }

  @Test
  void aTwoByOneSweepComparesItsEvaluatedChildrenAsTheLocalRunnerWould() throws Exception {
    OperatorHarness cluster = CLUSTER.get();
    StackingSweep sweep = new StackingSweep();
    sweep.getMetadata().setName("compare");
    sweep.getMetadata().setNamespace("sweeps");
    sweep.setSpec(new SweepSpec());
    sweep.getSpec().template = spec(onS3);
    sweep.getSpec().axes = new SweepAxes();
    // midas and zero train the same first stage: the second child takes it over, and its
    // evaluation reads that stage from the first child's run.
    sweep.getSpec().axes.operator = List.of("midas", "zero");
    sweep.getSpec().maxParallel = 2;
    cluster.create(sweep);

    Await.until(
        Duration.ofSeconds(400),
        () -> {
          StackingSweep s = get(cluster);
          return s.getStatus() != null
              && List.of("Succeeded", "Failed").contains(s.getStatus().phase);
        },
        () -> String.valueOf(get(cluster).getStatus()));
    StackingSweep done = get(cluster);

    assertThat(done.getStatus().phase).isEqualTo("Succeeded");
    assertThat(done.getStatus().reportPhase).isEqualTo("Succeeded");
    RunLayout layout = new RunLayout("compare", done.getMetadata().getUid());
    assertThat(done.getStatus().report)
        .isEqualTo(
            cluster.rootUri().replaceAll("/+$", "") + "/" + layout.reportPrefix() + "report.md");
    String first = done.getStatus().table.get(0).experiment;
    assertThat(done.getStatus().table)
        .extracting(r -> r.operator + "/" + r.sharesStagesWith)
        .containsExactly("midas/null", "zero/" + first);
    assertThat(done.getStatus().table)
        .allSatisfy(
            r -> {
              assertThat(r.meanAccuracy).containsKeys("2shot-loglik", "finetune-exact");
              assertThat(r.report).endsWith("/report/report.md");
            });

    DemoResults report = ReportStore.results(cluster.store(), layout.reportPrefix());
    assertThat(report.runs()).extracting(MethodRun::method).containsExactly("midas", "zero");
    for (MethodRun r : report.runs()) {
      StackingExperiment child = cluster.get("sweeps", r.experiment());
      DemoResults own =
          ReportStore.results(
              cluster.store(),
              new RunLayout(r.experiment(), child.getMetadata().getUid()).reportPrefix());
      assertSameNumbers(own.runs().get(0), r);
      assertThat(child.getStatus().result.valLoss).isEqualTo(r.last().valLoss());
    }
    assertThat(report.run("zero").orElseThrow().checkpoints())
        .extracting(c -> c.stage())
        .as("the shared stage's checkpoints, read from the first child's run")
        .contains(1, 2);
    EvalResult midasHeadline =
        cluster.runs().report(layout).orElseThrow().getRunsList().stream()
            .filter(h -> h.getMethod().equals("midas"))
            .findFirst()
            .orElseThrow();
    assertThat(midasHeadline.getValLoss())
        .isEqualTo(report.run("midas").orElseThrow().last().valLoss());

    // The midas child is the template's spec and seed as they are: evaluated after its last stage
    // by a Job, with the numbers the local runner reports for the same spec.
    anEvaluatedExperimentReportsWhatTheLocalRunnerReports(cluster, cluster.get("sweeps", first));
  }

  private static void anEvaluatedExperimentReportsWhatTheLocalRunnerReports(
      OperatorHarness cluster, StackingExperiment done) throws Exception {
    String name = done.getMetadata().getName();
    RunLayout run = new RunLayout(name, done.getMetadata().getUid());
    EvaluationStatus evaluation = done.getStatus().evaluations.get(0);
    assertThat(done.getStatus().evaluations).hasSize(1);
    assertThat(evaluation.stage).isEqualTo(2);
    assertThat(evaluation.phase).isEqualTo("Succeeded");
    assertThat(evaluation.attempts).isEqualTo(1);
    assertThat(done.getStatus().result.report)
        .isEqualTo(evaluation.report)
        .isEqualTo(
            cluster.rootUri().replaceAll("/+$", "") + "/" + run.reportPrefix() + "report.md");
    assertThat(done.getStatus().result.meanAccuracy)
        .containsOnlyKeys("2shot-exact", "2shot-loglik", "finetune-exact");
    Job evaluationJob =
        cluster.jobs("sweeps").stream()
            .filter(j -> j.getMetadata().getName().equals(name + "-e02-a1"))
            .findFirst()
            .orElseThrow();
    assertThat(evaluationJob.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .startsWith("evaluate")
        .containsSubsequence("--stage", "2");

    DemoResults onCluster = ReportStore.results(cluster.store(), run.reportPrefix());
    MethodRun clusterRun = onCluster.runs().get(0);
    assertThat(done.getStatus().result.valLoss).isEqualTo(clusterRun.last().valLoss());
    assertThat(done.getStatus().result.meanAccuracy.get("2shot-loglik"))
        .isEqualTo(clusterRun.last().meanAccuracy("2shot-loglik"));

    ObjectStore files = new FileObjectStore(local.resolve("store"));
    Path specFile = local.resolve("tiny-eval.yaml");
    ExperimentSpec localSpec = spec(TestingDatasets.write(files, 12));
    localSpec.storage = null;
    Files.writeString(specFile, Serialization.asYaml(localSpec));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ExperimentRun localRun =
        LocalExperimentRunner.run(
            // One PyTorch thread, as the test kubelet's pods (midas.threads=1): a reduction split
            // over another thread count rounds differently.
            new String[] {
              "--spec", specFile.toString(), "--root", files.root().toString(), "--threads", "1"
            },
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertThat(localRun.exitCode()).as(printed.toString(StandardCharsets.UTF_8)).isZero();
    DemoResults onLaptop = ReportStore.results(files, localRun.layout().reportPrefix());

    assertSameNumbers(onLaptop.runs().get(0), clusterRun);
    var a = onLaptop.analyses().get("midas");
    var b = onCluster.analyses().get("midas");
    a.blockSimilarity()
        .forEach(
            (g, m) ->
                assertThat(m.values()).as(g).isDeepEqualTo(b.blockSimilarity().get(g).values()));
    assertThat(a.functional().orElseThrow().values())
        .as("functional similarity")
        .isDeepEqualTo(b.functional().orElseThrow().values());
    assertThat(a.linearity()).isEqualTo(b.linearity());
  }

  private static StackingSweep get(OperatorHarness cluster) {
    return cluster
        .client()
        .resources(StackingSweep.class)
        .inNamespace("sweeps")
        .withName("compare")
        .get();
  }

  /** Every measured number equal; where the run lives and how long it took may differ. */
  static void assertSameNumbers(MethodRun a, MethodRun b) {
    assertThat(a.checkpoints())
        .extracting(c -> c.stage() + "@" + c.globalStep() + " flops " + c.flops())
        .containsExactlyElementsOf(
            b.checkpoints().stream()
                .map(c -> c.stage() + "@" + c.globalStep() + " flops " + c.flops())
                .toList());
    for (int i = 0; i < a.checkpoints().size(); i++) {
      assertThat(a.checkpoints().get(i).valLoss()).isEqualTo(b.checkpoints().get(i).valLoss());
      assertThat(a.checkpoints().get(i).fewShot()).isEqualTo(b.checkpoints().get(i).fewShot());
    }
    assertThat(a.finetune()).isEqualTo(b.finetune());
    assertThat(a.samples()).isEqualTo(b.samples());
    assertThat(a.flops()).isEqualTo(b.flops());
  }
}
