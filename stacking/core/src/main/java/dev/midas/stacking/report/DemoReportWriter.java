package dev.midas.stacking.report;

import dev.midas.proto.TaskScore;
import dev.midas.stacking.results.DemoResults;
import dev.midas.stacking.results.LagCurve;
import dev.midas.stacking.results.MethodRun;
import dev.midas.stacking.results.ModelAnalysis;
import dev.midas.stacking.results.TextSample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Writes a demo's report folder: {@code report.md} with the results tables, the PNG plots it links
 * (loss against FLOPs and wall clock, the isoplots, similarity heatmaps, linearity) and {@code
 * results.json}. Every number comes from the {@link DemoResults} given, unrounded in the JSON.
 */
public final class DemoReportWriter {
  public static final String REPORT = "report.md";

  private DemoReportWriter() {}

  /** Writes the report into {@code dir} (created if needed); returns the files written. */
  public static List<Path> write(DemoResults results, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    StringBuilder md = new StringBuilder();
    md.append("# ").append(results.title()).append("\n\n");
    results.setup().forEach(line -> md.append("- ").append(line).append('\n'));
    md.append("\n## Results\n\n").append(summaryTable(results).render());
    md.append(
        "\nFLOPs speedup: the baseline's training FLOPs over the method's (the schedule's"
            + " theoretical cost; LAG is charged its losing candidates' steps). Training loop: the"
            + " time the training loop took for the steps trained (LAG's extra steps included)."
            + " End-to-end: the wall clock of every stage process, every attempt (preempted ones"
            + " included), and LAG's candidate processes: start-up, loading, validation,"
            + " checkpoints and growth besides the loop; evaluation excluded. A stage the local"
            + " runner gave to the process of the run's stage before it counts from when it was"
            + " given its stage: that process's start-up was paid once, by the run's first stage."
            + " Speedups: the baseline's time over the method's.\n");
    md.append("\n## Reasoning primitives (final checkpoint)\n\n")
        .append(primitivesTable(results).render());
    md.append(
        "\nkshot-exact: exact match of the greedy answer up to the newline. kshot-loglik: the"
            + " answer, with its newline, has the highest log-likelihood among the candidate"
            + " values. finetune-exact: mean \u00b1 std over seeds after fine-tuning, each seed on"
            + " examples of its own. [low, high]: 95% Wilson interval over the n evaluated"
            + " instances. shots: mean shots in front of a query (whole shots are dropped, the"
            + " farthest first, until the context fits seq_len; none is ever cut). unfit:"
            + " instances whose query alone does not fit seq_len, not scored.\n");
    md.append("\n## Plots\n\n");
    for (ReportPlots.Plot p : ReportPlots.writeAll(results, dir)) {
      md.append("### ").append(p.title()).append("\n\n");
      md.append("![").append(p.title()).append("](").append(p.file().getFileName()).append(")\n\n");
      written.add(p.file());
    }
    linearityTable(results).ifPresent(t -> md.append("## Layer linearity\n\n").append(t.render()));
    for (MethodRun run : results.runs()) {
      ModelAnalysis a = results.analyses().get(run.method());
      if (a != null && a.lag().isPresent()) {
        LagCurve c = a.lag().get();
        md.append("## LAG analysis: ")
            .append(run.method())
            .append(", growth into stage ")
            .append(c.stage())
            .append("\n\n")
            .append(lagTable(c).render())
            .append(
                "\nEvery candidate trained the whole stage; loss on the selection windows after"
                    + " tau steps. rho: Spearman rank correlation across candidates with the"
                    + " loss after the stage (LAG chose after ")
            .append(c.lagSteps())
            .append(" steps).\n\n");
      }
    }
    md.append(samples(results));
    Path report = dir.resolve(REPORT);
    Files.writeString(report, md.toString(), StandardCharsets.UTF_8);
    written.add(report);
    written.add(ResultsJson.write(results, dir));
    return written;
  }

  /**
   * Each prompt, then every method's greedy continuation of it, one line each (line breaks shown as
   * \u21b5), in a fenced block so the text is shown as written; empty when no run has samples.
   */
  static String samples(DemoResults r) {
    List<MethodRun> runs = r.runs().stream().filter(run -> !run.samples().isEmpty()).toList();
    if (runs.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("\n## What the models write (final model, greedy)\n\n");
    int width = runs.stream().mapToInt(run -> run.method().length()).max().orElse(0);
    for (int i = 0; i < runs.get(0).samples().size(); i++) {
      String prompt = runs.get(0).samples().get(i).prompt();
      md.append("```\n").append(String.format("%-" + width + "s  %s%n", "prompt", oneLine(prompt)));
      for (MethodRun run : runs) {
        TextSample s = run.samples().get(i);
        md.append(
            String.format(
                "%-" + width + "s  %s%s%n",
                run.method(),
                oneLine(s.prompt() + s.continuation()),
                s.endOfText() ? " <|endoftext|>" : ""));
      }
      md.append("```\n\n");
    }
    return md.toString();
  }

  private static String oneLine(String text) {
    return text.replace("\r\n", "\u21b5").replace("\n", "\u21b5").replace("```", "` ` `");
  }

  static MarkdownTable summaryTable(DemoResults r) {
    MarkdownTable t =
        new MarkdownTable(
            "method",
            "final val loss",
            "val perplexity",
            "train FLOPs",
            "FLOPs speedup",
            "training loop (s)",
            "loop speedup",
            "end-to-end (s)",
            "wall-clock speedup");
    for (MethodRun run : r.runs()) {
      t.row(
          run.method(),
          fmt("%.4f", run.last().valLoss()),
          fmt("%.2f", run.last().valPerplexity()),
          fmt("%.3e", run.flops()),
          ratio(r.flopsSpeedup(run)),
          Double.isNaN(run.loopSeconds()) ? "-" : fmt("%.1f", run.loopSeconds()),
          ratio(r.loopSpeedup(run)),
          fmt("%.1f", run.wallSeconds()),
          ratio(r.wallSpeedup(run)));
    }
    return t;
  }

  static MarkdownTable primitivesTable(DemoResults r) {
    List<String> header = new ArrayList<>(List.of("task", "protocol"));
    r.runs().forEach(run -> header.add(run.method()));
    MarkdownTable t = new MarkdownTable(header);
    TreeSet<String> keys = new TreeSet<>();
    for (MethodRun run : r.runs()) {
      run.last().fewShot().forEach(s -> keys.add(s.getTask() + "\u0000" + s.getProtocol()));
      run.finetune().forEach(s -> keys.add(s.getTask() + "\u0000" + s.getProtocol()));
    }
    for (String key : keys) {
      String[] tp = key.split("\u0000");
      List<String> row = new ArrayList<>(List.of(tp[0], tp[1]));
      for (MethodRun run : r.runs()) {
        row.add(find(run, tp[0], tp[1]).map(DemoReportWriter::accuracy).orElse("-"));
      }
      t.row(row);
    }
    return t;
  }

  static Optional<MarkdownTable> linearityTable(DemoResults r) {
    List<ModelAnalysis> withLinearity =
        r.runs().stream()
            .map(run -> r.analyses().get(run.method()))
            .filter(a -> a != null && !a.linearity().isEmpty())
            .toList();
    if (withLinearity.isEmpty()) {
      return Optional.empty();
    }
    List<String> header = new ArrayList<>(List.of("layer"));
    withLinearity.forEach(
        a -> {
          header.add(a.method() + " R^2");
          header.add(a.method() + " cos");
        });
    MarkdownTable t = new MarkdownTable(header);
    int layers = withLinearity.stream().mapToInt(a -> a.linearity().size()).max().orElse(0);
    for (int l = 0; l < layers; l++) {
      List<String> row = new ArrayList<>(List.of("L" + l));
      for (ModelAnalysis a : withLinearity) {
        boolean has = l < a.linearity().size();
        row.add(has ? fmt("%.3f", a.linearity().get(l).r2()) : "-");
        row.add(has ? fmt("%.3f", a.linearity().get(l).meanCosine()) : "-");
      }
      t.row(row);
    }
    return Optional.of(t);
  }

  static MarkdownTable lagTable(LagCurve c) {
    List<String> header = new ArrayList<>(List.of("tau"));
    header.addAll(c.candidates());
    header.add("rho");
    MarkdownTable t = new MarkdownTable(header);
    for (int k = 0; k < c.taus().length; k++) {
      List<String> row = new ArrayList<>(List.of(Long.toString(c.taus()[k])));
      for (int i = 0; i < c.candidates().size(); i++) {
        row.add(fmt("%.4f", c.loss()[i][k]));
      }
      row.add(Double.isNaN(c.spearman()[k]) ? "-" : fmt("%.3f", c.spearman()[k]));
      t.row(row);
    }
    return t;
  }

  static Optional<TaskScore> find(MethodRun run, String task, String protocol) {
    return java.util.stream.Stream.concat(run.last().fewShot().stream(), run.finetune().stream())
        .filter(s -> s.getTask().equals(task) && s.getProtocol().equals(protocol))
        .findFirst();
  }

  /**
   * {@code 0.400 [0.236, 0.764] (n=10, shots 2.0)}, {@code 0.400 ± 0.050 [...] (n=10, 3 seeds)}
   * over several seeds, {@code not scored (12 unfit)} when nothing fit.
   */
  static String accuracy(TaskScore s) {
    if (s.getN() == 0) {
      return s.getNote().isEmpty()
          ? fmt("not scored (%d unfit)", s.getUnfit())
          : "not scored: " + s.getNote();
    }
    StringBuilder b = new StringBuilder(fmt("%.3f", s.getAccuracy()));
    if (s.getSeeds() > 1) {
      b.append(fmt(" \u00b1 %.3f", s.getStd()));
    }
    b.append(fmt(" [%.3f, %.3f] (n=%d", s.getCiLow(), s.getCiHigh(), s.getN()));
    if (s.getSeeds() > 1) {
      b.append(fmt(", %d seeds", s.getSeeds()));
    } else if (!s.getProtocol().startsWith("finetune")) {
      b.append(fmt(", shots %.1f", s.getMeanShots()));
    }
    if (s.getUnfit() > 0) {
      b.append(fmt(", %d unfit", s.getUnfit()));
    }
    return b.append(')').toString();
  }

  /** A speedup, or "-" where there is none: no baseline in the report, or no time measured. */
  private static String ratio(double speedup) {
    return Double.isNaN(speedup) ? "-" : fmt("%.3fx", speedup);
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
