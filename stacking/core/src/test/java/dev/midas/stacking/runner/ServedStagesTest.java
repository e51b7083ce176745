package dev.midas.stacking.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.spec.Precision;
import dev.midas.proto.StageResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stages run one after another in one stage process, on real child processes. */
class ServedStagesTest {
  private static final List<String> JVM = List.of("-Xmx512m");

  private static List<String> stage1(Path spec, Path dir, String uid) {
    return List.of(
        "--spec",
        spec.toString(),
        "--root",
        dir.resolve("store").toString(),
        "--uid",
        uid,
        "--stage",
        "1",
        "--threads",
        "1",
        "--termination-log",
        dir.resolve("termination-" + uid).toString());
  }

  private static List<String> stage2(Path spec, Path dir, String uid, StageResult first) {
    List<String> a = new ArrayList<>(stage1(spec, dir, uid));
    a.set(a.indexOf("--stage") + 1, "2");
    a.addAll(List.of("--init", first.getGrownManifest()));
    return a;
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream());
  }

  @Test
  void theNextStageRunsInTheProcessOfTheOneBeforeAndGivesTheFreshProcessResult(@TempDir Path dir)
      throws Exception {
    Path spec = TestingSpecs.tiny(dir);
    StageResult first =
        StageProcess.run(JVM, stage1(spec, dir, "fresh"), quiet()).result().orElseThrow();
    StageResult fresh =
        StageProcess.run(JVM, stage2(spec, dir, "fresh", first), quiet()).result().orElseThrow();

    StageResult one;
    StageResult two;
    Process p;
    try (ServedStages served = new ServedStages(JVM, quiet())) {
      StageProcess.Outcome o1 = served.run(stage1(spec, dir, "served"), quiet());
      assertThat(o1.exitCode()).isZero();
      one = o1.result().orElseThrow();
      p = served.served().orElseThrow();
      assertThat(p.isAlive()).as("kept for the next stage").isTrue();

      StageProcess.Outcome o2 = served.run(stage2(spec, dir, "served", one), quiet());

      assertThat(o2.exitCode()).isZero();
      two = o2.result().orElseThrow();
      assertThat(served.served()).containsSame(p);
    }
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("ended with the run").isTrue();
    assertThat(p.exitValue()).isZero();

    assertThat(one.getFinalTrainLoss()).isEqualTo(first.getFinalTrainLoss());
    assertThat(two.getFinalTrainLoss()).isEqualTo(fresh.getFinalTrainLoss());
    assertThat(two.getValLoss()).isEqualTo(fresh.getValLoss());
    assertThat(two.getGlobalStep()).isEqualTo(fresh.getGlobalStep());
    assertThat(two.getMessage()).isEqualTo(fresh.getMessage());
    // The first stage counts its process's start-up; the second counts from its arguments.
    assertThat(one.getTimings().getJvmStart()).isPositive();
    assertThat(one.getTimings().getPrestarted()).isZero();
    assertThat(two.getTimings().getPrestarted()).isPositive();
    assertThat(two.getTimings().getJvmStart()).isZero();
    assertThat(two.getWallSeconds()).isEqualTo(two.getTimings().getTotal());
    assertThat(fresh.getTimings().getPrestarted()).isZero();
  }

  @Test
  void aFailedStageEndsItsProcessAndADeadOrDecliningOneGivesWayToAFreshOne(@TempDir Path dir)
      throws Exception {
    Path spec = TestingSpecs.tiny(dir);
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        "model: {vocabSize: 32, dModel: 16, heads: 2, targetLayers: 2, seqLen: 8}\n"
            + "growth: {blockSize: 1}\nschedule: {totalSteps: 4, batchSize: 2}\n");
    List<String> outside = new ArrayList<>(stage1(bad, dir, "u"));
    outside.set(outside.indexOf("--stage") + 1, "3");
    // A tf32 stage needs the engine loaded with TF32; a process whose first stage was fp32 has not.
    Path tf32 = dir.resolve("tf32.yaml");
    Files.writeString(
        tf32,
        "model: {vocabSize: 32, dModel: 16, heads: 2, targetLayers: 1, seqLen: 8}\n"
            + "growth: {operator: baseline}\nprecision: tf32\n"
            + "schedule: {totalSteps: 2, batchSize: 2}\nevaluation: {valBatches: 1}\nseed: 3\n");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (ServedStages served =
        new ServedStages(JVM, new PrintStream(log, true, StandardCharsets.UTF_8))) {
      StageResult first = served.run(stage1(spec, dir, "a"), quiet()).result().orElseThrow();
      Process p = served.served().orElseThrow();

      StageProcess.Outcome failed = served.run(outside, quiet());

      assertThat(failed.exitClass()).isEqualTo(ExitClass.BAD_SPEC);
      assertThat(failed.result().orElseThrow().getMessage()).contains("--stage 3 is outside 1..2");
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("a failed stage ends its process").isTrue();
      assertThat(served.served()).isEmpty();

      // The next stage gets a fresh process; then that one dies between stages.
      assertThat(served.run(stage1(spec, dir, "b"), quiet()).exitCode()).isZero();
      served.served().orElseThrow().destroyForcibly().waitFor();
      StageProcess.Outcome afterDeath = served.run(stage2(spec, dir, "b2", first), quiet());
      assertThat(afterDeath.exitCode()).isZero();
      assertThat(afterDeath.result().orElseThrow().getTimings().getPrestarted()).isZero();

      StageProcess.Outcome o = served.run(stage1(tf32, dir, "t"), quiet());

      assertThat(o.exitCode()).isZero();
      assertThat(o.result().orElseThrow().getPrecision()).isEqualTo(Precision.TF32.word());
      assertThat(o.result().orElseThrow().getTimings().getPrestarted()).isZero();
      assertThat(log.toString(StandardCharsets.UTF_8)).contains("declined this stage");
    }
  }

  @Test
  void argumentsTravelOneALineAndEndOfInputEndsTheProcess() throws Exception {
    List<String> args = List.of("--spec", "a b.yaml", "", "--stage", "2");
    String sent = StageServer.message(args).orElseThrow();
    String twice = sent + sent;
    var in = StageServer.input(new ByteArrayInputStream(twice.getBytes(StandardCharsets.UTF_8)));

    assertThat(StageServer.read(in).orElseThrow()).containsExactlyElementsOf(args);
    assertThat(StageServer.read(in).orElseThrow()).containsExactlyElementsOf(args);
    assertThat(StageServer.read(in)).isEmpty();
    assertThat(StageServer.message(List.of("two\nlines"))).isEmpty();
    assertThat(StageServer.read(StageServer.input(new ByteArrayInputStream("3\na\n".getBytes()))))
        .isEmpty();
  }

  @Test
  void reuseIsOnUnlessTheFlagOrThePropertyTurnsItOff() {
    LocalExperimentRunner on = new LocalExperimentRunner();
    new picocli.CommandLine(on).parseArgs("--spec", "s.yaml");
    LocalExperimentRunner flag = new LocalExperimentRunner();
    new picocli.CommandLine(flag).parseArgs("--spec", "s.yaml", "--no-reuse-stage-process");
    LocalExperimentRunner property = new LocalExperimentRunner();
    System.setProperty("midas.reuseStageProcess", "false");
    try {
      new picocli.CommandLine(property).parseArgs("--spec", "s.yaml");
    } finally {
      System.clearProperty("midas.reuseStageProcess");
    }

    assertThat(on.reuseStageProcess).isTrue();
    assertThat(flag.reuseStageProcess).isFalse();
    assertThat(property.reuseStageProcess).isFalse();
  }
}
