package dev.midas.stacking.report;

import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.EvalResult;
import dev.midas.proto.ReportManifest;
import dev.midas.run.RunReader;
import dev.midas.stacking.results.DemoResults;
import dev.midas.stacking.results.MethodRun;
import dev.midas.stacking.results.ModelAnalysis;
import dev.midas.store.ObjectStore;
import dev.midas.store.artifact.CorruptArtifactException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep's comparison report: the committed reports of its runs, read back from their {@code
 * results.json}, drawn as one report method by method (the results table, loss against FLOPs and
 * wall clock, isoplots, heatmaps side by side) and committed under the sweep's {@code
 * runs/<sweep>/<uid>/report/}. It measures nothing itself: its numbers are the runs' own.
 */
public final class SweepReport {
  private SweepReport() {}

  /** One run of the sweep and the name it has in the comparison ("baseline" is the reference). */
  public record Member(RunLayout run, String label) {}

  /**
   * @param notes lines describing the sweep for the report's header, before the runs' own
   * @param workDir local scratch folder the report is drawn in before upload
   * @return the committed report's manifest (its runs' headline numbers, relabelled)
   */
  public static ReportManifest write(
      ObjectStore store,
      RunLayout sweep,
      String title,
      List<String> notes,
      List<Member> members,
      Path workDir)
      throws IOException {
    RunReader runs = new RunReader(store);
    String prefix = sweep.reportPrefix();
    if (store.exists(RunLayout.manifestKey(prefix))) {
      return runs.report(sweep).orElseThrow();
    }
    List<String> setup = new ArrayList<>(notes);
    List<MethodRun> methodRuns = new ArrayList<>();
    Map<String, ModelAnalysis> analyses = new LinkedHashMap<>();
    ReportManifest.Builder manifest =
        ReportManifest.newBuilder().setExperiment(sweep.experiment()).setUid(sweep.uid());
    for (Member m : members) {
      String runReport = m.run().reportPrefix();
      ReportManifest committed =
          runs.report(m.run())
              .orElseThrow(
                  () ->
                      new java.nio.file.NoSuchFileException(
                          store.uri(runReport)
                              + " has no committed report: evaluate "
                              + m.run().experiment()
                              + " first"));
      DemoResults r = ReportStore.results(store, runReport);
      if (r.runs().size() != 1 || committed.getRunsCount() != 1) {
        throw new CorruptArtifactException(
            store.uri(runReport).toString(), ResultsJson.FILE, "is not the report of one run");
      }
      MethodRun run = r.runs().get(0);
      methodRuns.add(
          new MethodRun(
              m.label(),
              run.experiment(),
              run.uid(),
              run.checkpoints(),
              run.flops(),
              run.wallSeconds(),
              run.loopSeconds(),
              run.finetune(),
              run.samples()));
      ModelAnalysis a = r.analyses().get(run.method());
      if (a != null) {
        analyses.put(m.label(), a.named(m.label()));
      }
      r.setup().forEach(line -> setup.add(m.label() + ": " + line));
      EvalResult headline = committed.getRuns(0);
      manifest.addRuns(headline.toBuilder().setMethod(m.label()));
    }
    DemoResults all = new DemoResults(title, setup, methodRuns, analyses);
    List<Path> files = DemoReportWriter.write(all, workDir);
    return ReportStore.commit(store, prefix, files, manifest);
  }
}
