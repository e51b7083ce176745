package dev.midas.stacking.runner;

import dev.midas.checkpoint.CheckpointStore;
import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.proto.StageResult;
import dev.midas.proto.StageTimings;
import dev.midas.run.RunReader;
import dev.midas.store.ObjectStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The stage pod entry point (ARCHITECTURE.md, stage pod contract): runs one stage of one experiment
 * and exits with the code of its {@link ExitClass} (failures placed by {@link StageExitCodes}). The
 * same command runs in a Kubernetes Job and as a local child process.
 *
 * <pre>
 * StageRunner --spec runs/e/u/spec|file.yaml --stage 2 --root s3://bucket/midas --uid u \
 *             (--init &lt;grown MANIFEST&gt; | --resume &lt;checkpoint MANIFEST&gt;)
 * </pre>
 *
 * SIGTERM asks the trainer to stop at the next step boundary; the stage then commits a preempted
 * checkpoint and exits 6. The result goes to stdout (one JSON line), the termination message file
 * and {@code result.json}.
 *
 * <p>{@code StageRunner --serve} runs stage after stage, each one's arguments read from stdin
 * ({@link StageServer}).
 */
@Command(
    name = "stage",
    mixinStandardHelpOptions = true,
    description = "Run one stage of a staged experiment (the stage pod contract).")
public final class StageRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

  /** How long SIGTERM waits for the preempted checkpoint before the JVM goes down anyway. */
  static final long SIGTERM_GRACE_SECONDS = 120;

  @CommandLine.Mixin RunTarget target = new RunTarget();

  @Option(names = "--stage", required = true, description = "1-based stage to run.")
  int stage;

  @Option(names = "--init", description = "Grown MANIFEST URI this stage starts from.")
  URI init;

  @Option(names = "--resume", description = "Checkpoint MANIFEST URI to resume from.")
  URI resume;

  @Option(
      names = "--resume-latest",
      description =
          "Resume from this run's latest committed checkpoint of the stage when it is later than"
              + " --init/--resume: what a pod its Job restarted (a disruption, a queue's"
              + " preemption) must do, since it gets the first pod's arguments.")
  boolean resumeLatest;

  @Option(
      names = "--lag-steps",
      description = "LAG probe: train only this many steps from --init, no final or growth.")
  Long lagSteps;

  @Option(names = "--heartbeat-seconds", description = "Heartbeat period (default 15).")
  double heartbeatSeconds = 15;

  public static void main(String[] args) {
    StageClock clock = StageClock.sinceProcessStart();
    System.setProperty("ai.djl.offline", "true");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean terminating = new AtomicBoolean();
    // The stage in progress, if any: SIGTERM gives it time to commit its preempted checkpoint.
    AtomicReference<CountDownLatch> running = new AtomicReference<>(new CountDownLatch(0));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  terminating.set(true);
                  stop.set(true);
                  try {
                    running.get().await(SIGTERM_GRACE_SECONDS, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "sigterm"));
    if (!StageServer.is(args)) {
      ProcessExit.now(stage(args, clock, stop, terminating, running));
      return;
    }
    BufferedReader in = StageServer.input(System.in);
    StageData.keepLast();
    for (int served = 0; ; served++) {
      Optional<String[]> given;
      try {
        given = StageServer.read(in);
      } catch (IOException | RuntimeException e) {
        LOG.warn("stage process could not read its next stage's arguments: {}", e.toString());
        ProcessExit.now(StageServer.DECLINED); // nothing written: the runner starts it afresh
        return;
      }
      if (given.isEmpty() || stop.get()) {
        ProcessExit.now(0); // the run ended, or the process is being stopped
        return;
      }
      // The first stage counts the process's start-up; a later one counts from its arguments, the
      // process's earlier life recorded apart.
      StageClock c =
          served == 0 ? clock : StageClock.afterPrestart(StageClock.secondsSinceProcessStart());
      int code = stage(given.get(), c, stop, terminating, running);
      if (code != 0) {
        ProcessExit.now(code);
        return;
      }
    }
  }

  /** Runs one stage of this process and returns its exit code, halting if SIGTERM came. */
  private static int stage(
      String[] args,
      StageClock clock,
      AtomicBoolean stop,
      AtomicBoolean terminating,
      AtomicReference<CountDownLatch> running) {
    CountDownLatch finished = new CountDownLatch(1);
    running.set(finished);
    int code = run(args, System.out, stop, clock);
    System.out.flush();
    if (terminating.get()) {
      // Exiting already (SIGTERM): halt keeps our exit code instead of the signal's 143.
      Runtime.getRuntime().halt(code);
    }
    finished.countDown();
    return code;
  }

  /** Runs a stage in this process; returns the exit code. {@code stop} is the SIGTERM flag. */
  public static int run(String[] args, PrintStream out, AtomicBoolean stop) {
    return run(args, out, stop, StageClock.startingNow());
  }

  private static int run(String[] args, PrintStream out, AtomicBoolean stop, StageClock clock) {
    StageRunner cmd = new StageRunner();
    StageResult result;
    ObjectStore store = null;
    String resultKey = null;
    Path termination = null;
    double earlier = 0;
    try {
      CommandLine.ParseResult parsed = new CommandLine(cmd).parseArgs(args);
      if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
        new CommandLine(new StageRunner()).usage(out);
        return 0;
      }
      termination = cmd.target.terminationLog;
      if (cmd.init != null && cmd.resume != null) {
        throw new StageException(ExitClass.BAD_SPEC, "give --init or --resume, not both");
      }
      if (cmd.lagSteps != null && (cmd.lagSteps <= 0 || cmd.init == null)) {
        throw new StageException(
            ExitClass.BAD_SPEC, "--lag-steps needs a positive count and --init");
      }
      RunTarget.Resolved run = cmd.target.resolve();
      store = run.store();
      ResolvedSpec spec = run.spec();
      String uid = run.layout().uid();
      if (cmd.stage < 1 || cmd.stage > spec.numStages()) {
        throw new StageException(
            ExitClass.BAD_SPEC,
            "--stage " + cmd.stage + " is outside 1.." + spec.numStages() + " of " + spec.name());
      }
      resultKey = run.layout().resultKey(cmd.stage);
      earlier = AttemptTime.earlierSeconds(new RunReader(store), run.layout(), cmd.stage);
      Optional<URI> init = Optional.ofNullable(cmd.init);
      Optional<URI> resume = Optional.ofNullable(cmd.resume);
      if (cmd.resumeLatest && cmd.lagSteps == null) {
        Optional<URI> latest = new RunReader(store).latest(run.layout(), cmd.stage);
        if (latest.isPresent() && later(latest.get(), resume)) {
          LOG.info("stage {} resumes from its latest checkpoint {}", cmd.stage, latest.get());
          init = Optional.empty();
          resume = latest;
        }
      }
      StageRequest req =
          new StageRequest(
              spec,
              store.root(),
              uid,
              cmd.stage,
              init,
              resume,
              cmd.target.threads,
              cmd.heartbeatSeconds,
              Optional.ofNullable(cmd.lagSteps));
      clock.timings().setSetup(clock.sinceStart()); // arguments, spec, store
      result = new StageExecution(req, new CheckpointStore(store), stop, clock).run();
    } catch (StageServer.Declined d) {
      LOG.warn("stage process declines stage {}: {}", cmd.stage, d.getMessage());
      closeQuietly(store);
      return StageServer.DECLINED; // nothing written: the runner starts this stage afresh
    } catch (Throwable t) {
      result = failure(cmd, t);
    }
    StageTimings timings = clock.finish();
    result =
        result.toBuilder()
            .setTimings(timings)
            .setWallSeconds(timings.getTotal())
            // The method's cost counts the stage's earlier attempts too (preempted, failed,
            // killed).
            .setAttemptsWallSeconds(earlier + timings.getTotal())
            .setAttemptStartedMillis(clock.startedAtMillis())
            .build();
    LOG.info("stage {} took {}", cmd.stage, StageClock.describe(timings));
    StageOutputs.report(result, out, termination, store, resultKey);
    closeQuietly(store);
    return ExitClass.of(result.getExitClass()).code();
  }

  private static StageResult failure(StageRunner cmd, Throwable t) {
    ExitClass c = StageExitCodes.classify(t);
    if (c == ExitClass.TRANSIENT) {
      LOG.error("stage {} failed", cmd.stage, t);
    } else {
      LOG.error("stage {} failed: {}", cmd.stage, t.getMessage());
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return StageResult.newBuilder()
        .setStage(cmd.stage)
        .setExperiment(cmd.target.name == null ? "" : cmd.target.name)
        .setExitClass(c.wire())
        .setMessage(message)
        .build();
  }

  /** Whether {@code latest} is past {@code given}; any checkpoint is past a stage's start. */
  private static boolean later(URI latest, Optional<URI> given) {
    if (given.isEmpty()) {
      return true;
    }
    var a = RunLayout.stepOf(latest.toString());
    var b = RunLayout.stepOf(given.get().toString());
    return a.isPresent() && (b.isEmpty() || a.getAsLong() > b.getAsLong());
  }

  private static void closeQuietly(ObjectStore store) {
    if (store != null) {
      try {
        store.close();
      } catch (Exception e) {
        LOG.warn("closing the store: {}", e.toString());
      }
    }
  }
}
