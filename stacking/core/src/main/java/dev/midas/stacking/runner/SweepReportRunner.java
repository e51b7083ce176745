package dev.midas.stacking.runner;

import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.EvalResult;
import dev.midas.proto.ReportManifest;
import dev.midas.stacking.report.ReportStore;
import dev.midas.stacking.report.SweepReport;
import dev.midas.store.ObjectStore;
import dev.midas.store.ObjectStores;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A sweep's comparison report as a pod-contract entry point (exit codes, JSON result line and
 * termination message): reads the committed reports of the sweep's runs and commits {@link
 * SweepReport} under {@code runs/<sweep>/<uid>/report/}. The operator runs it as a Job with the
 * stage image when a sweep's children have finished ({@code PodMain sweep-report ...}); the demo
 * calls it for its methods.
 *
 * <pre>
 * SweepReportRunner --name sweep --uid u --root s3://bucket/midas \
 *     --run experiment-a/uid-a=baseline --run experiment-b/uid-b=midas [--title T] [--note line]
 * </pre>
 */
@Command(
    name = "sweep-report",
    mixinStandardHelpOptions = true,
    description = "Compare a sweep's evaluated runs in one report (pod contract).")
public final class SweepReportRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SweepReportRunner.class);

  @Option(names = "--name", required = true, description = "The sweep's name.")
  String name;

  @Option(names = "--uid", required = true, description = "The sweep's uid.")
  String uid;

  @Option(names = "--root", required = true, description = "Object-store root.")
  String root;

  @CommandLine.Mixin StoreFlags storeFlags = new StoreFlags();

  @Option(
      names = "--run",
      required = true,
      paramLabel = "EXPERIMENT/UID=LABEL",
      description = "A run to compare and its label in the report, in report order.")
  List<String> runs = new ArrayList<>();

  @Option(names = "--title", description = "The report's title (default: the sweep's name).")
  String title;

  @Option(names = "--note", description = "A line for the report's header (repeatable).")
  List<String> notes = new ArrayList<>();

  @Option(
      names = "--termination-log",
      description = "Termination message file (default /dev/termination-log, when writable).")
  Path terminationLog = Path.of("/dev/termination-log");

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /** Writes the sweep report in this process; returns the exit code. */
  public static int run(String[] args, PrintStream out) {
    SweepReportRunner cmd = new SweepReportRunner();
    EvalResult result;
    Path termination = null;
    try {
      CommandLine.ParseResult parsed = new CommandLine(cmd).parseArgs(args);
      if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
        new CommandLine(new SweepReportRunner()).usage(out);
        return 0;
      }
      termination = cmd.terminationLog;
      RunLayout sweep = new RunLayout(cmd.name, cmd.uid);
      List<SweepReport.Member> members = new ArrayList<>();
      for (String r : cmd.runs) {
        members.add(member(r));
      }
      Path work = Files.createTempDirectory("midas-sweep-report-");
      try (ObjectStore store = ObjectStores.open(cmd.root, cmd.storeFlags.options())) {
        ReportManifest m =
            SweepReport.write(
                store,
                sweep,
                cmd.title != null ? cmd.title : "Sweep " + cmd.name,
                cmd.notes,
                members,
                work);
        result =
            EvalResult.newBuilder()
                .setExperiment(cmd.name)
                .setExitClass(ExitClass.DONE.wire())
                .setCheckpoints(m.getRunsCount())
                .setReport(ReportStore.reportUri(store, sweep.reportPrefix()).toString())
                .build();
      } finally {
        try (var paths = Files.walk(work)) {
          paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    } catch (Throwable t) {
      ExitClass c = StageExitCodes.classify(t);
      LOG.error("sweep report failed: {}", t.toString());
      result =
          EvalResult.newBuilder()
              .setExperiment(cmd.name == null ? "" : cmd.name)
              .setExitClass(c.wire())
              .setMessage(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage())
              .build();
    }
    StageOutputs.report(result, out, termination, null, null);
    return ExitClass.of(result.getExitClass()).code();
  }

  /** {@code experiment/uid=label}; the label defaults to the experiment's name. */
  static SweepReport.Member member(String arg) {
    int eq = arg.indexOf('=');
    String run = eq < 0 ? arg : arg.substring(0, eq);
    int slash = run.indexOf('/');
    if (slash < 1 || slash == run.length() - 1) {
      throw new StageException(
          ExitClass.BAD_SPEC, "--run " + arg + " is not experiment/uid[=label]");
    }
    RunLayout layout = new RunLayout(run.substring(0, slash), run.substring(slash + 1));
    String label = eq < 0 ? layout.experiment() : arg.substring(eq + 1);
    if (label.isBlank()) {
      throw new StageException(ExitClass.BAD_SPEC, "--run " + arg + " has an empty label");
    }
    return new SweepReport.Member(layout, label);
  }
}
