package dev.midas.stacking.evaluation;

import dev.midas.checkpoint.CheckpointStore;
import dev.midas.checkpoint.TrainState;
import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.proto.EvalResult;
import dev.midas.proto.LagRecord;
import dev.midas.proto.ReportManifest;
import dev.midas.proto.TaskScore;
import dev.midas.run.RunReader;
import dev.midas.stacking.data.TokenDataset;
import dev.midas.stacking.eval.FineTuneEvaluator;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.stacking.progress.Progress;
import dev.midas.stacking.report.DemoReportWriter;
import dev.midas.stacking.report.ReportStore;
import dev.midas.stacking.results.CheckpointEval;
import dev.midas.stacking.results.DemoResults;
import dev.midas.stacking.results.LagCurve;
import dev.midas.stacking.results.MethodRun;
import dev.midas.stacking.results.ModelAnalysis;
import dev.midas.stacking.runner.StageData;
import dev.midas.stacking.runner.StageException;
import dev.midas.store.ObjectStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A run's evaluation after one of its stages: every committed checkpoint of stages 1..stage
 * measured (validation loss, k-shot primitives exact and log-likelihood), the last one fine-tuned
 * and analysed, and the run's report (Markdown, PNG plots, {@code results.json}) committed to the
 * store, manifest last. Evaluating again what is already reported returns the committed headline
 * without measuring anything, so a retried or repeated evaluation never does the work twice.
 */
public final class RunEvaluation {
  private RunEvaluation() {}

  /**
   * @param stage the evaluation covers the checkpoints of stages 1..stage
   * @param validation the validation windows the run's stages measured their loss on
   * @param workDir a local scratch folder (tokenizer copy, report before upload)
   */
  public record Request(
      ResolvedSpec spec,
      ObjectStore store,
      RunLayout layout,
      int stage,
      TokenDataset validation,
      Path workDir) {}

  public static EvalResult run(Request r, Progress progress) throws IOException {
    long started = System.nanoTime();
    ResolvedSpec spec = r.spec();
    int k = spec.numStages();
    RunReader runs = new RunReader(r.store());
    var committed = runs.report(r.layout(), r.stage(), k);
    if (committed.isPresent() && committed.get().getRunsCount() == 1) {
      return committed.get().getRuns(0);
    }
    long end =
        spec.schedule().stages().globalStart(r.stage()) + spec.schedule().stages().steps(r.stage());
    RunLayout trainedIn = runs.stageRuns(r.layout(), r.stage()).get(r.stage() - 1);
    if (runs.stage(trainedIn, r.stage(), end).finalCheckpoint().isEmpty()) {
      throw new StageException(
          ExitClass.BAD_SPEC,
          "stage "
              + r.stage()
              + " of "
              + r.store().uri(r.layout().runPrefix())
              + " has no final checkpoint yet: evaluate after it has finished");
    }
    String method = spec.growth().operator();
    MethodEvaluator.Measured m;
    try (InputsLoader.Loaded in = InputsLoader.forRun(spec, r.validation(), r.workDir())) {
      m =
          MethodEvaluator.evaluate(
              method, r.store(), r.layout(), spec, r.stage(), in.inputs(), progress);
    }
    progress.message("report");
    String prefix = r.layout().reportPrefix(r.stage(), k);
    List<String> setup = new ArrayList<>();
    setup.add(
        String.format(
            "run %s: %s, stages 1..%d of %d (layers %s), %d checkpoints measured",
            r.store().uri(r.layout().runPrefix()),
            method,
            r.stage(),
            k,
            depths(spec, r.stage()),
            m.run().checkpoints().size()));
    setup.add(
        String.format(
            "model: d_model %d, %d heads, ffn %d, seq %d, vocab %d; batch %d, %d steps in all",
            spec.model().dModel(),
            spec.model().heads(),
            spec.model().ffn(),
            spec.model().seqLen(),
            spec.model().vocabSize(),
            spec.schedule().batchSize(),
            spec.schedule().totalSteps()));
    setup.add(
        "data: "
            + spec.data().dataset().orElse("synthetic tokens")
            + spec.data().primitives().map(p -> "; primitives " + p).orElse(""));
    // Not prefixed with the method: the report is this run's, and a sweep's report prefixes each
    // member's lines with its label.
    setup.add("evaluated in " + m.seconds());
    for (LagRecord lag : runs.lags(r.layout(), r.stage())) {
      setup.add(LagCharges.describe(spec, Timeline.flopsOf(spec), lag));
    }
    ModelAnalysis analysis = m.analysis();
    int lagStage = spec.evaluation().lagAnalysisStage();
    if (lagStage > 0 && spec.growth().lag().isPresent() && r.stage() >= lagStage) {
      long t0 = System.nanoTime();
      LagCurve curve = lagAnalysis(r, runs, lagStage, progress);
      analysis = analysis.withLag(curve);
      setup.add(
          String.format(
              "LAG analysis at the growth into stage %d: %d candidates trained the whole stage"
                  + " (%d steps) in %.1f s",
              lagStage,
              curve.candidates().size(),
              curve.taus()[curve.taus().length - 1],
              (System.nanoTime() - t0) / 1e9));
    }
    DemoResults results =
        new DemoResults(
            "Evaluation of " + spec.name() + " after stage " + r.stage() + "/" + k,
            setup,
            List.of(m.run()),
            Map.of(method, analysis));
    List<Path> files = DemoReportWriter.write(results, r.workDir().resolve("report"));
    EvalResult headline =
        headline(
                spec.name(),
                method,
                r.stage(),
                m.run(),
                ReportStore.reportUri(r.store(), prefix).toString())
            .setWallSeconds((System.nanoTime() - started) / 1e9)
            .build();
    ReportManifest manifest =
        ReportStore.commit(
            r.store(),
            prefix,
            files,
            ReportManifest.newBuilder()
                .setExperiment(r.layout().experiment())
                .setUid(r.layout().uid())
                .addRuns(headline));
    return manifest.getRuns(0);
  }

  /** LAG's analysis of the run's growth into {@code stage}, from stage {@code stage - 1}'s end. */
  private static LagCurve lagAnalysis(Request r, RunReader runs, int stage, Progress progress)
      throws IOException {
    ResolvedSpec spec = r.spec();
    long end = spec.schedule().stages().globalStart(stage);
    URI previous =
        runs.stage(r.layout(), stage - 1, end)
            .finalCheckpoint()
            .map(URI::create)
            .orElseThrow(
                () -> new IOException("stage " + (stage - 1) + " of the run has no end to grow"));
    TrainState fin = new CheckpointStore(r.store()).load(previous);
    StageData data = StageData.open(spec);
    return LagAnalysis.run(
        spec, stage, fin, data.train(), r.validation(), PyTorchRuntime.threads(), progress);
  }

  /** The headline numbers of a measured run: its last checkpoint's, fine-tuning included. */
  public static EvalResult.Builder headline(
      String experiment, String method, int stage, MethodRun run, String reportUri) {
    CheckpointEval last = run.last();
    Map<String, Double> means = new TreeMap<>();
    TreeSet<String> protocols = new TreeSet<>();
    last.fewShot().forEach(s -> protocols.add(s.getProtocol()));
    for (String p : protocols) {
      means.put(p, last.meanAccuracy(p));
    }
    if (!run.finetune().isEmpty()) {
      means.put(
          FineTuneEvaluator.PROTOCOL,
          run.finetune().stream()
              .filter(s -> s.getN() > 0)
              .mapToDouble(TaskScore::getAccuracy)
              .average()
              .orElse(Double.NaN));
    }
    return EvalResult.newBuilder()
        .setExperiment(experiment)
        .setMethod(method)
        .setStage(stage)
        .setExitClass(ExitClass.DONE.wire())
        .setGlobalStep(last.globalStep())
        .setValLoss(last.valLoss())
        .putAllMeanAccuracy(means)
        .setCheckpoints(run.checkpoints().size())
        .setReport(reportUri);
  }

  private static String depths(ResolvedSpec spec, int stage) {
    List<String> d = new ArrayList<>();
    for (int i = 1; i <= stage; i++) {
      d.add(Integer.toString(spec.layersAt(i)));
    }
    return String.join(",", d);
  }
}
