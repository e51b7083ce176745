package dev.midas.stacking.runner;

import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.exit.RetryPolicy;
import dev.midas.plan.flops.Speedup;
import dev.midas.plan.flops.StepFlops;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.GrowthSpec;
import dev.midas.plan.spec.InvalidSpecException;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.plan.spec.SpecDocument;
import dev.midas.plan.spec.SpecLoader;
import dev.midas.plan.spec.SpecValidator;
import dev.midas.plan.stage.StageAction;
import dev.midas.plan.stage.StagePlanner;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a whole staged experiment on this machine, one child process per stage, checkpoints passing
 * through the object store ({@code file://} by default), driven by the same stage state machine as
 * the operator: a rerun after a crash or a kill resumes where the store says the run stands, and a
 * finished run does nothing. Prints each stage's loss and time.
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

  private StageLauncher launcher;

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

  static ExperimentRun run(String[] args, PrintStream out, StageLauncher launcher) {
    LocalExperimentRunner cmd = new LocalExperimentRunner();
    cmd.launcher = launcher;
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
      return stages(store, layout, resolved, out);
    }
  }

  private ExperimentRun stages(
      ObjectStore store, RunLayout layout, ResolvedSpec spec, PrintStream out) throws Exception {
    RunReader runs = new RunReader(store);
    StageLauncher launch =
        launcher != null ? launcher : (a, o) -> StageProcess.run(jvmOptions, a, o);
    List<StageProcess.Outcome> outcomes = new ArrayList<>();
    int[] failures = new int[spec.numStages() + 1];
    // Each stage runs at most 1 + retry.limit counted times; preemptions are not counted, so the
    // bound leaves room for some and also stops a confused state machine.
    for (int launches = 0; launches < spec.numStages() * (3 + 2 * spec.retry().limit()); ) {
      StageAction next =
          StagePlanner.next(spec.numStages(), runs.observe(layout, spec.schedule().stages()));
      if (next instanceof StageAction.Done) {
        ExperimentRun run = new ExperimentRun(0, "done", layout, outcomes);
        ExperimentSummary.print(out, spec, run, speedup(spec));
        return run;
      }
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--spec", specForChildren(store, layout),
                  "--root", store.root().toString(),
                  "--uid", layout.uid(),
                  "--name", layout.experiment()));
      args.addAll(next.runnerArgs());
      if (threads != null) {
        args.addAll(List.of("--threads", threads.toString()));
      }
      out.printf("stage %d/%d: %s%n", next.stage(), spec.numStages(), describe(next));
      StageProcess.Outcome o = launch.launch(args, out);
      launches++;
      outcomes.add(o);
      ExperimentSummary.printStage(out, spec, next.stage(), o);
      if (o.exitCode() == 0) {
        continue;
      }
      ExitClass c = o.exitClass();
      if (c.countsAsFailure()) {
        failures[next.stage()]++;
      }
      Optional<Duration> delay = RetryPolicy.next(spec.retry(), c, failures[next.stage()]);
      String why = o.result().map(r -> r.getMessage()).orElse("exit code " + o.exitCode());
      if (delay.isEmpty()) {
        out.printf("stage %d failed (%s): %s%n", next.stage(), c, why);
        return new ExperimentRun(c.code(), why, layout, outcomes);
      }
      out.printf(
          "stage %d exited %d (%s): %s; resuming from its latest checkpoint in %d s%n",
          next.stage(), o.exitCode(), c, why, delay.get().toSeconds());
      Thread.sleep(delay.get().toMillis());
    }
    return new ExperimentRun(ExitClass.UNKNOWN.code(), "too many stage launches", layout, outcomes);
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
