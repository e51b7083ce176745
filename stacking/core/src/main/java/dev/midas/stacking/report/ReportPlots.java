package dev.midas.stacking.report;

import dev.midas.stacking.analysis.SimilarityMatrix;
import dev.midas.stacking.eval.FewShotEvaluator;
import dev.midas.stacking.results.CheckpointEval;
import dev.midas.stacking.results.DemoResults;
import dev.midas.stacking.results.LagCurve;
import dev.midas.stacking.results.MethodRun;
import dev.midas.stacking.results.ModelAnalysis;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** The demo report's plots, drawn from the measured results. */
final class ReportPlots {
  /**
   * Heatmaps compare these side by side where they exist: MIDAS, GradStack, the looped model whose
   * pattern MIDAS is said to resemble, the full-depth baseline, and LAG's adaptive stacking.
   */
  static final List<String> HEATMAP_METHODS =
      List.of("midas", "gradstack", "loop", "baseline", "lag");

  record Plot(String title, Path file) {}

  private ReportPlots() {}

  static List<Plot> writeAll(DemoResults r, Path dir) throws IOException {
    List<Plot> plots = new ArrayList<>();
    plots.add(
        line(
            dir.resolve("loss-vs-flops.png"),
            "Validation loss against training FLOPs",
            "training FLOPs",
            r,
            CheckpointEval::flops));
    plots.add(
        line(
            dir.resolve("loss-vs-wallclock.png"),
            "Validation loss against training wall clock",
            "training wall clock (s)",
            r,
            CheckpointEval::wallSeconds));
    int shots = shots(r);
    for (String protocol :
        List.of(FewShotEvaluator.loglikProtocol(shots), FewShotEvaluator.exactProtocol(shots))) {
      if (r.runs().stream().allMatch(run -> Double.isNaN(run.last().meanAccuracy(protocol)))) {
        continue; // no primitives were scored: nothing to plot
      }
      Path file = dir.resolve(protocol.endsWith("loglik") ? "isoplot.png" : "isoplot-exact.png");
      String title = "Isoplot: mean " + protocol + " accuracy against validation log-perplexity";
      List<Series> series = new ArrayList<>();
      for (MethodRun run : r.runs()) {
        series.add(series(run, CheckpointEval::valLoss, c -> c.meanAccuracy(protocol)));
      }
      LinePlot.write(
          file,
          title,
          "validation log-perplexity (nats)",
          "mean accuracy over tasks",
          series,
          true,
          true);
      plots.add(new Plot(title, file));
    }
    Set<String> groups = new LinkedHashSet<>();
    r.analyses().values().forEach(a -> groups.addAll(a.blockSimilarity().keySet()));
    for (String group : groups) {
      List<Heatmap> panels = new ArrayList<>();
      for (ModelAnalysis a : heatmapAnalyses(r)) {
        SimilarityMatrix m = a.blockSimilarity().get(group);
        if (m != null) {
          panels.add(new Heatmap(a.method(), m.labels(), m.values()));
        }
      }
      if (panels.isEmpty()) {
        continue;
      }
      String title = "Block weight similarity: " + group;
      Path file = dir.resolve("block-similarity-" + group.replace('.', '-') + ".png");
      HeatmapPlot.writeSideBySide(file, title, panels);
      plots.add(new Plot(title, file));
    }
    List<Heatmap> functional = new ArrayList<>();
    for (ModelAnalysis a : heatmapAnalyses(r)) {
      a.functional()
          .ifPresent(m -> functional.add(new Heatmap(a.method(), m.labels(), m.values())));
    }
    if (!functional.isEmpty()) {
      String title = "Functional similarity of layers: mean cos(f_l(x) - x, f_l'(x) - x)";
      Path file = dir.resolve("functional-similarity.png");
      HeatmapPlot.writeSideBySide(file, title, functional);
      plots.add(new Plot(title, file));
    }
    linearity(r, dir).ifPresent(plots::add);
    lagSpearman(r, dir).ifPresent(plots::add);
    return plots;
  }

  /** LAG's analysis: rank correlation with the end-of-stage order against the lag tau. */
  private static Optional<Plot> lagSpearman(DemoResults r, Path dir) throws IOException {
    List<Series> series = new ArrayList<>();
    for (MethodRun run : r.runs()) {
      ModelAnalysis a = r.analyses().get(run.method());
      if (a == null || a.lag().isEmpty()) {
        continue;
      }
      LagCurve c = a.lag().get();
      double[] x = new double[c.taus().length];
      for (int t = 0; t < x.length; t++) {
        x[t] = c.taus()[t];
      }
      series.add(new Series(run.method() + " (into stage " + c.stage() + ")", x, c.spearman()));
    }
    if (series.isEmpty()) {
      return Optional.empty();
    }
    String title =
        "LAG: Spearman correlation of the candidates' loss after tau steps with their loss after"
            + " the whole stage";
    Path file = dir.resolve("lag-spearman.png");
    LinePlot.write(file, title, "tau (steps after the growth)", "Spearman rho", series, true);
    return Optional.of(new Plot(title, file));
  }

  private static Optional<Plot> linearity(DemoResults r, Path dir) throws IOException {
    List<Series> series = new ArrayList<>();
    for (MethodRun run : r.runs()) {
      ModelAnalysis a = r.analyses().get(run.method());
      if (a == null || a.linearity().isEmpty()) {
        continue;
      }
      int n = a.linearity().size();
      double[] x = new double[n];
      double[] y = new double[n];
      for (int l = 0; l < n; l++) {
        x[l] = l;
        y[l] = a.linearity().get(l).r2();
      }
      series.add(new Series(run.method(), x, y));
    }
    if (series.isEmpty()) {
      return Optional.empty();
    }
    String title = "Layer linearity: held-out R^2 of a linear fit of f_l(X) - X";
    Path file = dir.resolve("linearity.png");
    LinePlot.write(file, title, "layer", "R^2", series, true);
    return Optional.of(new Plot(title, file));
  }

  /**
   * The analyses drawn side by side: MIDAS, GradStack and the baseline first where the report has
   * them (MIDAS.md section 6), then every other run's in report order (another operator, a sweep's
   * runs labelled by their axes).
   */
  private static List<ModelAnalysis> heatmapAnalyses(DemoResults r) {
    List<ModelAnalysis> out = new ArrayList<>();
    for (String m : HEATMAP_METHODS) {
      if (r.analyses().containsKey(m)) {
        out.add(r.analyses().get(m));
      }
    }
    for (MethodRun run : r.runs()) {
      ModelAnalysis a = r.analyses().get(run.method());
      if (a != null && !out.contains(a)) {
        out.add(a);
      }
    }
    return out;
  }

  private static Plot line(
      Path file, String title, String xLabel, DemoResults r, ToDoubleFunction<CheckpointEval> x)
      throws IOException {
    List<Series> series = new ArrayList<>();
    for (MethodRun run : r.runs()) {
      series.add(series(run, x, CheckpointEval::valLoss));
    }
    LinePlot.write(file, title, xLabel, "validation loss (nats)", series, true);
    return new Plot(title, file);
  }

  private static Series series(
      MethodRun run, ToDoubleFunction<CheckpointEval> x, ToDoubleFunction<CheckpointEval> y) {
    int n = run.checkpoints().size();
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = x.applyAsDouble(run.checkpoints().get(i));
      ys[i] = y.applyAsDouble(run.checkpoints().get(i));
    }
    return new Series(run.method(), xs, ys);
  }

  /**
   * The shot count the few-shot protocols were run with, read from their names ({@code 5shot-}).
   */
  private static int shots(DemoResults r) {
    return r.runs().stream()
        .flatMap(run -> run.last().fewShot().stream())
        .map(s -> s.getProtocol())
        .filter(p -> p.matches("\\d+shot-.*"))
        .map(p -> Integer.parseInt(p.substring(0, p.indexOf("shot"))))
        .findFirst()
        .orElse(5);
  }
}
