package dev.midas.stacking.runner;

import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.proto.EvalResult;
import dev.midas.proto.Heartbeat;
import dev.midas.stacking.evaluation.RunEvaluation;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.store.ObjectStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The evaluation pod entry point, with the stage pod contract's exit codes, heartbeat and result:
 * evaluates a run's committed checkpoints of stages 1..N ({@link RunEvaluation}) and commits its
 * report. The operator runs it as a Job with the stage image ({@code PodMain evaluate ...}); the
 * local runner, and so the demo, run it as a child process.
 *
 * <pre>
 * EvaluationRunner &lt;spec&gt; --root s3://bucket/midas --uid u [--stage N (default: the last)]
 * </pre>
 *
 * The result goes to stdout (one JSON line), the termination message file and the evaluation's
 * {@code result.json}; the heartbeat counts checkpoints measured. SIGTERM ends it at once with exit
 * 6: nothing is committed before the report, so the next attempt starts over.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = "Evaluate a run's committed checkpoints and write its report (pod contract).")
public final class EvaluationRunner {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluationRunner.class);

  @CommandLine.Mixin RunTarget target = new RunTarget();

  @Option(
      names = "--stage",
      description = "Evaluate the checkpoints of stages 1..N (default: all, the run's report).")
  Integer stage;

  @Option(names = "--heartbeat-seconds", description = "Heartbeat period (default 15).")
  double heartbeatSeconds = 15;

  @Option(names = "--work-dir", description = "Local scratch folder (default: a temporary one).")
  Path workDir;

  public static void main(String[] args) {
    System.setProperty("ai.djl.offline", "true");
    AtomicBoolean finished = new AtomicBoolean();
    AtomicReference<EvaluationRunner> running = new AtomicReference<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (!finished.get()) {
                    EvaluationRunner cmd = running.get();
                    EvalResult r =
                        EvalResult.newBuilder()
                            .setExitClass(ExitClass.PREEMPTED.wire())
                            .setMessage("stopped (SIGTERM) before the report was committed")
                            .build();
                    StageOutputs.report(
                        r, System.out, cmd == null ? null : cmd.target.terminationLog, null, null);
                    Runtime.getRuntime().halt(ExitClass.PREEMPTED.code());
                  }
                },
                "sigterm"));
    int code = run(args, System.out, running);
    finished.set(true);
    System.exit(code);
  }

  /** Runs an evaluation in this process; returns the exit code. */
  public static int run(String[] args, PrintStream out) {
    return run(args, out, new AtomicReference<>());
  }

  private static int run(
      String[] args, PrintStream out, AtomicReference<EvaluationRunner> running) {
    EvaluationRunner cmd = new EvaluationRunner();
    EvalResult result;
    ObjectStore store = null;
    String resultKey = null;
    Path termination = null;
    try {
      CommandLine.ParseResult parsed = new CommandLine(cmd).parseArgs(args);
      if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
        new CommandLine(new EvaluationRunner()).usage(out);
        return 0;
      }
      running.set(cmd);
      termination = cmd.target.terminationLog;
      RunTarget.Resolved run = cmd.target.resolve();
      store = run.store();
      ResolvedSpec spec = run.spec();
      int k = spec.numStages();
      int s = cmd.stage == null ? k : cmd.stage;
      if (s < 1 || s > k) {
        throw new StageException(
            ExitClass.BAD_SPEC, "--stage " + s + " is outside 1.." + k + " of " + spec.name());
      }
      resultKey = run.layout().evaluationResultKey(s);
      PyTorchRuntime.use(cmd.target.threads);
      Path work = cmd.workDir != null ? cmd.workDir : Files.createTempDirectory("midas-eval-");
      Heartbeat initial = Heartbeat.newBuilder().setStage(s).setPhase("loading").build();
      try (Heartbeats hb =
          new Heartbeats(
              store, run.layout().evaluationHeartbeatKey(s), initial, cmd.heartbeatSeconds)) {
        result =
            RunEvaluation.run(
                new RunEvaluation.Request(
                    spec, store, run.layout(), s, StageData.open(spec).validation(), work),
                new EvaluationProgress(hb, out));
      } finally {
        if (cmd.workDir == null) {
          deleteQuietly(work);
        }
      }
    } catch (Throwable t) {
      result = failure(cmd, t);
    }
    StageOutputs.report(result, out, termination, store, resultKey);
    if (store != null) {
      try {
        store.close();
      } catch (Exception e) {
        LOG.warn("closing the store: {}", e.toString());
      }
    }
    return ExitClass.of(result.getExitClass()).code();
  }

  private static EvalResult failure(EvaluationRunner cmd, Throwable t) {
    ExitClass c = StageExitCodes.classify(t);
    if (c == ExitClass.TRANSIENT) {
      LOG.error("evaluation failed", t);
    } else {
      LOG.error("evaluation failed: {}", t.getMessage());
    }
    return EvalResult.newBuilder()
        .setExperiment(cmd.target.name == null ? "" : cmd.target.name)
        .setStage(cmd.stage == null ? 0 : cmd.stage)
        .setExitClass(c.wire())
        .setMessage(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage())
        .build();
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", dir, e.toString());
    }
  }
}
