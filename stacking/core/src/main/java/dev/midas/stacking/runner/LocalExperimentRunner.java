package dev.midas.stacking.runner;

import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.exit.RetryPolicy;
import dev.midas.plan.flops.Speedup;
import dev.midas.plan.flops.StepFlops;
import dev.midas.plan.lag.LagPlan;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.ExperimentSpec;
import dev.midas.plan.spec.GrowthSpec;
import dev.midas.plan.spec.InvalidSpecException;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.plan.spec.SpecDocument;
import dev.midas.plan.spec.SpecLoader;
import dev.midas.plan.spec.SpecValidator;
import dev.midas.plan.stage.EvaluationPlanner;
import dev.midas.plan.stage.ObservedRun;
import dev.midas.plan.stage.StageAction;
import dev.midas.plan.stage.StagePlanner;
import dev.midas.proto.LagRecord;
import dev.midas.run.RunReader;
import dev.midas.store.ObjectStore;
import dev.midas.store.ObjectStores;
import dev.midas.store.StoreOptions;
import dev.midas.store.artifact.Sha256;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a whole staged experiment on this machine, one child process per stage, checkpoints passing
 * through the object store ({@code file://} by default), driven by the same stage state machine as
 * the operator, and evaluated where the spec asks (an {@link EvaluationRunner} child process after
 * the last stage, or after every stage), as the operator does: a rerun after a crash or a kill
 * resumes where the store says the run stands, and a finished, reported run does nothing. Prints
 * each stage's loss and time.
 *
 * <pre>
 * LocalExperimentRunner --spec tiny.yaml [--operator baseline|gradstack|midas] [--root file:///...]
 * </pre>
 */
@Command(
    name = "local-experiment",
    mixinStandardHelpOptions = true,
    description = "Run a staged experiment locally, each stage as a child process.")
public final class LocalExperimentRunner {
  /** Default root, relative to the working directory. */
  static final String DEFAULT_ROOT = ".midas/store";

  @Option(names = "--spec", required = true, description = "Experiment spec (YAML or JSON) file.")
  Path spec;

  @Option(
      names = "--root",
      description = "Object-store root (default: storage.root, else ./" + DEFAULT_ROOT + ").")
  String root;

  @Option(names = "--name", description = "Experiment name (default: metadata.name or file name).")
  String name;

  @Option(
      names = "--uid",
      description = "Run uid (default: derived from the spec, so reruns resume).")
  String uid;

  @Option(names = "--operator", description = "Override growth.operator (and suffix the name).")
  String operator;

  @Option(names = "--threads", description = "PyTorch threads per stage process.")
  Integer threads;

  @Option(names = "--stage-jvm-option", description = "Extra JVM option for stage processes.")
  List<String> jvmOptions = new ArrayList<>();

  @Option(
      names = "--class-data-cache",
      description =
          "Folder of the stage processes' class-data sharing archive, made once per build"
              + " (default: ~/.cache/midas/cds; 'none': no archive).")
  String classDataCache;

  @Option(
      names = "--reuse-stage-process",
      negatable = true,
      defaultValue = "${sys:midas.reuseStageProcess:-true}",
      fallbackValue = "true",
      description =
          "Run each next stage in the process of the stage before it when that one succeeded,"
              + " so that it skips JVM start-up, class loading, JIT warm-up, engine load and data"
              + " read (default: on; the system property midas.reuseStageProcess=false turns it"
              + " off, e.g. in the demo: then every stage has a fresh process, as a pod does).")
  boolean reuseStageProcess = true;

  private StageLauncher launcher;
  private EvaluationLauncher evaluator;

  public static void main(String[] args) {
    System.exit(run(args, System.out).exitCode());
  }

  /** Runs the experiment; never calls System.exit. */
  public static ExperimentRun run(String[] args, PrintStream out) {
    return run(args, out, null);
  }

  /** Starts one stage process and waits for its end; tests script one in its place. */
  interface StageLauncher {
    StageProcess.Outcome launch(List<String> args, PrintStream out) throws Exception;
  }

  /** Starts one evaluation process and waits for its end; tests script one in its place. */
  interface EvaluationLauncher {
    StageProcess.EvaluationOutcome launch(List<String> args, PrintStream out) throws Exception;
  }

  static ExperimentRun run(String[] args, PrintStream out, StageLauncher launcher) {
    return run(args, out, launcher, null);
  }

  static ExperimentRun run(
      String[] args, PrintStream out, StageLauncher launcher, EvaluationLauncher evaluator) {
    LocalExperimentRunner cmd = new LocalExperimentRunner();
    cmd.launcher = launcher;
    cmd.evaluator = evaluator;
    try {
      CommandLine.ParseResult parsed = new CommandLine(cmd).parseArgs(args);
      if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
        new CommandLine(new LocalExperimentRunner()).usage(out);
        return ExperimentRun.failed(0, "help");
      }
      return cmd.execute(out);
    } catch (CommandLine.ParameterException | InvalidSpecException e) {
      out.println("local-experiment: " + e.getMessage());
      return ExperimentRun.failed(ExitClass.BAD_SPEC.code(), e.getMessage());
    } catch (Exception e) {
      out.println("local-experiment: " + e);
      ExitClass c = StageExitCodes.classify(e);
      return ExperimentRun.failed(c.code(), String.valueOf(e.getMessage()));
    }
  }

  private ExperimentRun execute(PrintStream out) throws Exception {
    SpecDocument doc = SpecLoader.load(spec);
    String experiment =
        name != null ? name : doc.name().orElse(SpecSource.nameFromLocation(spec.toString()));
    if (operator != null) {
      if (doc.spec().growth == null) {
        doc.spec().growth = new GrowthSpec();
      }
      doc.spec().growth.operator = operator;
      experiment = name != null ? name : experiment + "-" + operator;
    }
    ResolvedSpec resolved = SpecValidator.resolve(experiment, doc.spec());
    String frozen = SpecLoader.toJson(doc.spec());
    String runUid =
        uid != null
            ? uid
            : doc.uid()
                .orElse(
                    "local-"
                        + Sha256.hex((experiment + "\n" + frozen).getBytes(StandardCharsets.UTF_8))
                            .substring(0, 12));
    String rootText =
        root != null
            ? root
            : resolved.storage().root().orElse(Path.of(DEFAULT_ROOT).toAbsolutePath().toString());
    RunLayout layout = new RunLayout(experiment, runUid);
    try (ObjectStore store = ObjectStores.open(rootText, StoreOptions.from(resolved.storage()))) {
      freeze(store, layout, frozen);
      out.printf(
          "%s (%s): %d stage(s), %s, %d steps, run %s%n",
          experiment,
          resolved.growth().operator(),
          resolved.numStages(),
          depths(resolved),
          resolved.schedule().totalSteps(),
          store.uri(layout.runPrefix()));
      return stages(store, layout, resolved, doc.spec(), stageJvmOptions(out), out);
    }
  }

  /** The class-data archive's options (when there is one) and the user's. */
  private List<String> stageJvmOptions(PrintStream out) {
    List<String> options = new ArrayList<>();
    if (!"none".equals(classDataCache)) {
      Path cache =
          classDataCache != null
              ? Path.of(classDataCache)
              : Path.of(System.getProperty("user.home"), ".cache", "midas", "cds");
      options.addAll(ClassDataArchive.jvmOptions(cache, out));
    }
    options.addAll(jvmOptions);
    return options;
  }

  private ExperimentRun stages(
      ObjectStore store,
      RunLayout layout,
      ResolvedSpec spec,
      ExperimentSpec frozen,
      List<String> stageJvm,
      PrintStream out)
      throws Exception {
    try (ServedStages served =
        launcher == null && reuseStageProcess ? new ServedStages(stageJvm, out) : null) {
      StageLauncher launch =
          launcher != null
              ? launcher
              : served != null ? served::run : (a, o) -> StageProcess.run(stageJvm, a, o);
      return stages(store, layout, spec, frozen, stageJvm, launch, out);
    }
  }

  private ExperimentRun stages(
      ObjectStore store,
      RunLayout layout,
      ResolvedSpec spec,
      ExperimentSpec frozen,
      List<String> stageJvm,
      StageLauncher launch,
      PrintStream out)
      throws Exception {
    RunReader runs = new RunReader(store);
    LocalLag lag = new LocalLag(runs, layout, spec, frozen);
    EvaluationLauncher evaluate =
        evaluator != null ? evaluator : (a, o) -> StageProcess.evaluate(stageJvm, a, o);
    int k = spec.numStages();
    List<StageProcess.Outcome> outcomes = new ArrayList<>();
    List<StageProcess.EvaluationOutcome> evaluations = new ArrayList<>();
    int[] failures = new int[k + 1];
    int[] evaluationFailures = new int[k + 1];
    // Each stage and evaluation runs at most 1 + retry.limit counted times; preemptions are not
    // counted, so the bound leaves room for some and also stops a confused state machine.
    for (int launches = 0; launches < 2 * k * (3 + 2 * spec.retry().limit()); launches++) {
      ObservedRun observed = runs.observe(layout, spec.schedule().stages());
      OptionalInt due =
          EvaluationPlanner.next(
              spec, StagePlanner.completedStages(k, observed), s -> reported(runs, layout, s, k));
      if (due.isPresent()) {
        int s = due.getAsInt();
        out.printf("evaluation after stage %d/%d%n", s, k);
        StageProcess.EvaluationOutcome o =
            evaluate.launch(childArgs(store, layout, List.of("--stage", Integer.toString(s))), out);
        evaluations.add(o);
        o.result()
            .filter(r -> o.exitCode() == 0)
            .ifPresent(
                r -> out.printf("evaluation after stage %d: done, report %s%n", s, r.getReport()));
        Optional<ExperimentRun> failed =
            retryOrFail(
                "evaluation after stage " + s,
                o.exitCode(),
                o.exitClass(),
                o.result().map(r -> r.getMessage()),
                evaluationFailures,
                s,
                spec,
                out);
        if (failed.isPresent()) {
          return new ExperimentRun(
              failed.get().exitCode(), failed.get().message(), layout, outcomes, evaluations);
        }
        continue;
      }
      StageAction next = StagePlanner.next(k, observed);
      if (next instanceof StageAction.Done) {
        ExperimentRun run = new ExperimentRun(0, "done", layout, outcomes, evaluations);
        ExperimentSummary.print(out, spec, run, speedup(spec));
        return run;
      }
      if (next instanceof StageAction.Run start && LagPlan.applies(spec, start.stage())) {
        int s = start.stage();
        String init =
            observed
                .stage(s - 1)
                .finalCheckpoint()
                .orElseThrow(() -> new IllegalStateException("stage " + (s - 1) + " has no end"));
        LagRecord decided =
            lag.decide(
                s,
                init,
                (probe, stageArgs) -> {
                  StageProcess.Outcome o = launch.launch(childArgs(store, probe, stageArgs), out);
                  outcomes.add(o);
                  return o;
                },
                out);
        if (decided.getChosen().isEmpty()) {
          String why = "every LAG candidate of stage " + s + " failed";
          out.println(why);
          return new ExperimentRun(ExitClass.UNKNOWN.code(), why, layout, outcomes, evaluations);
        }
        next = new StageAction.Resume(s, decided.getChosenManifest());
      }
      out.printf("stage %d/%d: %s%n", next.stage(), k, describe(next));
      StageProcess.Outcome o = launch.launch(childArgs(store, layout, next.runnerArgs()), out);
      outcomes.add(o);
      ExperimentSummary.printStage(out, spec, next.stage(), o);
      Optional<ExperimentRun> failed =
          retryOrFail(
              "stage " + next.stage(),
              o.exitCode(),
              o.exitClass(),
              o.result().map(r -> r.getMessage()),
              failures,
              next.stage(),
              spec,
              out);
      if (failed.isPresent()) {
        return new ExperimentRun(
            failed.get().exitCode(), failed.get().message(), layout, outcomes, evaluations);
      }
    }
    return new ExperimentRun(
        ExitClass.UNKNOWN.code(), "too many launches", layout, outcomes, evaluations);
  }

  /**
   * Follows the plan's exit-class table after a child ended: nothing on success, a wait before the
   * next attempt when the class is retried and the failures allow it, else the run's failure.
   */
  private static Optional<ExperimentRun> retryOrFail(
      String what,
      int exitCode,
      ExitClass c,
      Optional<String> message,
      int[] failures,
      int stage,
      ResolvedSpec spec,
      PrintStream out)
      throws InterruptedException {
    if (exitCode == 0) {
      return Optional.empty();
    }
    if (c.countsAsFailure()) {
      failures[stage]++;
    }
    Optional<Duration> delay = RetryPolicy.next(spec.retry(), c, failures[stage]);
    String why = message.orElse("exit code " + exitCode);
    if (delay.isEmpty()) {
      out.printf("%s failed (%s): %s%n", what, c, why);
      return Optional.of(ExperimentRun.failed(c.code(), why));
    }
    out.printf(
        "%s exited %d (%s): %s; retrying in %d s%n",
        what, exitCode, c, why, delay.get().toSeconds());
    Thread.sleep(delay.get().toMillis());
    return Optional.empty();
  }

  private static boolean reported(RunReader runs, RunLayout layout, int stage, int k) {
    try {
      return runs.report(layout, stage, k).isPresent();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<String> childArgs(ObjectStore store, RunLayout layout, List<String> more)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--spec", specForChildren(store, layout),
                "--root", store.root().toString(),
                "--uid", layout.uid(),
                "--name", layout.experiment()));
    args.addAll(more);
    if (threads != null) {
      args.addAll(List.of("--threads", threads.toString()));
    }
    return args;
  }

  /**
   * Where stage processes read the frozen spec: its object-store URI on {@code file://}; a local
   * copy otherwise, since reading it from S3 would need the endpoint the spec itself holds.
   */
  private static String specForChildren(ObjectStore store, RunLayout layout) throws Exception {
    if ("file".equals(store.root().getScheme())) {
      return store.uri(layout.specKey()).toString();
    }
    Path copy = java.nio.file.Files.createTempFile("midas-spec-", ".json");
    copy.toFile().deleteOnExit();
    java.nio.file.Files.write(copy, store.get(layout.specKey()));
    return copy.toString();
  }

  private static void freeze(ObjectStore store, RunLayout layout, String frozen) throws Exception {
    byte[] bytes = frozen.getBytes(StandardCharsets.UTF_8);
    if (!store.putIfAbsent(layout.specKey(), bytes)
        && !java.util.Arrays.equals(store.get(layout.specKey()), bytes)) {
      throw new InvalidSpecException(
          "run "
              + store.uri(layout.runPrefix())
              + " was started with a different spec;"
              + " pick another --uid or --name");
    }
  }

  private static String describe(StageAction a) {
    if (a instanceof StageAction.Run r) {
      return r.init().map(i -> "start from " + i).orElse("start from random init");
    }
    if (a instanceof StageAction.Resume r) {
      return "resume from " + r.checkpoint();
    }
    return "done";
  }

  private static String depths(ResolvedSpec spec) {
    List<String> d = new ArrayList<>();
    for (int i = 1; i <= spec.numStages(); i++) {
      d.add(Integer.toString(spec.layersAt(i)));
    }
    return "layers " + String.join(",", d);
  }

  private static double speedup(ResolvedSpec spec) {
    ResolvedSpec.Model m = spec.model();
    StepFlops f =
        StepFlops.transformer(
            m.dModel(), m.ffn(), m.seqLen(), m.vocabSize(), spec.schedule().batchSize());
    return Speedup.theoretical(spec.schedule().stages(), spec.depths(), f);
  }
}
