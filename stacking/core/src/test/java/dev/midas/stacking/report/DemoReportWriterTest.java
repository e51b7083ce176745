package dev.midas.stacking.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.midas.proto.TaskScore;
import dev.midas.stacking.analysis.LayerLinearity;
import dev.midas.stacking.analysis.SimilarityMatrix;
import dev.midas.stacking.results.CheckpointEval;
import dev.midas.stacking.results.DemoResults;
import dev.midas.stacking.results.LagCurve;
import dev.midas.stacking.results.MethodRun;
import dev.midas.stacking.results.ModelAnalysis;
import dev.midas.stacking.results.TextSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoReportWriterTest {
  @TempDir static Path tmp;

  @org.junit.jupiter.api.BeforeAll
  static void writeReportOnce() throws Exception {
    DemoReportWriter.write(results(), tmp);
  }

  static TaskScore score(String task, String protocol, double acc, int n) {
    double[] ci = dev.midas.stacking.eval.Wilson.interval95(acc, n);
    return TaskScore.newBuilder()
        .setTask(task)
        .setProtocol(protocol)
        .setAccuracy(acc)
        .setN(n)
        .setSeeds(1)
        .setMeanShots(task.equals("psm") ? 5 : 2.5)
        .setMinShots(task.equals("psm") ? 5 : 1)
        .setCiLow(ci[0])
        .setCiHigh(ci[1])
        .build();
  }

  static MethodRun run(String method, double flops, double wall, double finalLoss, double acc) {
    List<CheckpointEval> cps =
        List.of(
            new CheckpointEval(
                1,
                10,
                flops / 4,
                wall / 4,
                finalLoss + 1,
                List.of(
                    score("psm", "5shot-loglik", acc / 2, 8), score("psm", "5shot-exact", 0, 8))),
            new CheckpointEval(
                2,
                20,
                flops,
                wall,
                finalLoss,
                List.of(
                    score("psm", "5shot-loglik", acc, 8),
                    score("psm", "5shot-exact", 0.125, 8),
                    score("variable_assignment/code/depth2", "5shot-exact", 0.5, 8),
                    TaskScore.newBuilder()
                        .setTask("variable_assignment/code/depth2")
                        .setProtocol("5shot-loglik")
                        .setAccuracy(Double.NaN)
                        .setUnfit(8)
                        .setSeeds(1)
                        .build())));
    TaskScore ft =
        TaskScore.newBuilder()
            .setTask("psm")
            .setProtocol("finetune-exact")
            .setAccuracy(0.5)
            .setStd(0.1)
            .setN(8)
            .setSeeds(3)
            .setCiLow(0.215)
            .setCiHigh(0.785)
            .build();
    List<TextSample> samples =
        List.of(
            new TextSample("The", " " + method + " sat\non the", false),
            new TextSample("He said that", " it was " + method, true));
    return new MethodRun(
        method, "demo-" + method, "u1", cps, flops, wall, wall / 2, List.of(ft), samples);
  }

  /** {@code run}'s measurements under another method and experiment name and loop time. */
  static MethodRun like(MethodRun run, String method, String experiment, double loopSeconds) {
    return new MethodRun(
        method,
        experiment,
        run.uid(),
        run.checkpoints(),
        run.flops(),
        run.wallSeconds(),
        loopSeconds,
        run.finetune(),
        run.samples());
  }

  static DemoResults results() {
    SimilarityMatrix m =
        new SimilarityMatrix(
            "attn.q.weight", List.of("B1", "B2"), new double[][] {{1, 0.9}, {0.9, 1}});
    SimilarityMatrix g =
        new SimilarityMatrix(
            "attn.q.weight", List.of("B1", "B2"), new double[][] {{1, 0.2}, {0.2, 1}});
    return new DemoResults(
        "MIDAS demo (test)",
        List.of("preset: test"),
        List.of(
            run("baseline", 4e12, 100, 4.0, 0.3),
            run("gradstack", 3e12, 80, 4.2, 0.25),
            run("midas", 3e12, 75, 4.05, 0.4)),
        Map.of(
            "midas",
                new ModelAnalysis(
                    "midas",
                    Map.of("attn.q.weight", m),
                    Optional.of(m),
                    List.of(
                        new LayerLinearity.Score(0.9, 0.95), new LayerLinearity.Score(0.5, 0.7))),
            "gradstack",
                new ModelAnalysis(
                    "gradstack", Map.of("attn.q.weight", g), Optional.empty(), List.of())));
  }

  @Test
  void summaryTableHoldsEachMethodsMeasuredNumbersAndSpeedupsAgainstBaseline() throws Exception {
    List<Map<String, String>> rows = ReportTables.table(tmp.resolve("report.md"), "method");
    assertThat(rows)
        .extracting(r -> r.get("method"))
        .containsExactly("baseline", "gradstack", "midas");
    Map<String, String> midas = rows.get(2);
    assertThat(Double.parseDouble(midas.get("final val loss"))).isEqualTo(4.05);
    assertThat(Double.parseDouble(midas.get("val perplexity")))
        .isCloseTo(Math.exp(4.05), within(0.01));
    assertThat(midas.get("FLOPs speedup")).isEqualTo("1.333x");
    assertThat(midas.get("wall-clock speedup")).isEqualTo("1.333x");
    assertThat(midas.get("end-to-end (s)")).isEqualTo("75.0");
    assertThat(midas.get("training loop (s)")).isEqualTo("37.5");
    assertThat(midas.get("loop speedup")).isEqualTo("1.333x");
    assertThat(rows.get(0).get("FLOPs speedup")).isEqualTo("1.000x");
  }

  @Test
  void primitivesTableHasOneRowPerTaskAndProtocolWithFineTuneMeanAndStd() throws Exception {
    List<Map<String, String>> rows = ReportTables.table(tmp.resolve("report.md"), "task");
    assertThat(rows)
        .extracting(r -> r.get("protocol"))
        .containsExactly(
            "5shot-exact", "5shot-loglik", "finetune-exact", "5shot-exact", "5shot-loglik");
    assertThat(rows.get(1).get("midas")).isEqualTo("0.400 [0.152, 0.713] (n=8, shots 5.0)");
    assertThat(rows.get(0).get("baseline")).isEqualTo("0.125 [0.022, 0.471] (n=8, shots 5.0)");
    assertThat(rows.get(2).get("gradstack"))
        .isEqualTo("0.500 \u00b1 0.100 [0.215, 0.785] (n=8, 3 seeds)");
    assertThat(rows.get(3).get("midas")).isEqualTo("0.500 [0.215, 0.785] (n=8, shots 2.5)");
    assertThat(rows.get(4).get("midas")).isEqualTo("not scored (8 unfit)");
  }

  @Test
  void everyLinkedPlotExistsAsAReadablePng() throws Exception {
    String md = Files.readString(tmp.resolve("report.md"));
    List<String> links =
        java.util.regex.Pattern.compile("\\]\\(([^)]+\\.png)\\)")
            .matcher(md)
            .results()
            .map(m -> m.group(1))
            .toList();
    assertThat(links)
        .contains(
            "loss-vs-flops.png",
            "loss-vs-wallclock.png",
            "isoplot.png",
            "block-similarity-attn-q-weight.png",
            "functional-similarity.png",
            "linearity.png");
    for (String png : links) {
      assertThat(ImageIO.read(tmp.resolve(png).toFile())).as(png).isNotNull();
    }
  }

  @Test
  void eachPromptIsFollowedByEveryMethodsContinuationOnOneLine() throws Exception {
    String md = Files.readString(tmp.resolve(DemoReportWriter.REPORT));
    String section = md.substring(md.indexOf("## What the models write"));

    assertThat(section)
        .contains(
            "```\n"
                + "prompt     The\n"
                + "baseline   The baseline sat\u21b5on the\n"
                + "gradstack  The gradstack sat\u21b5on the\n"
                + "midas      The midas sat\u21b5on the\n"
                + "```")
        .contains("midas      He said that it was midas <|endoftext|>\n");
    JsonNode json = new ObjectMapper().readTree(tmp.resolve("results.json").toFile());
    JsonNode sample = json.path("runs").get(2).path("samples").get(0);
    assertThat(sample.path("continuation").asText()).isEqualTo(" midas sat\non the");
    assertThat(sample.path("endOfText").asBoolean()).isFalse();
  }

  @Test
  void resultsJsonKeepsUnroundedNumbers() throws Exception {
    JsonNode root = new ObjectMapper().readTree(tmp.resolve("results.json").toFile());
    assertThat(root.get("runs").get(2).get("method").asText()).isEqualTo("midas");
    assertThat(root.get("runs").get(2).get("flopsSpeedup").asDouble()).isEqualTo(4e12 / 3e12);
    assertThat(root.get("runs").get(2).get("analysis").get("linearity").get(1).get("r2").asDouble())
        .isEqualTo(0.5);
  }

  @Test
  void aLagRunsAnalysisIsATableOfLossAgainstTauAndASpearmanPlotThatReadBack(@TempDir Path dir)
      throws Exception {
    DemoResults base = results();
    LagCurve curve =
        new LagCurve(
            2,
            4,
            List.of("midas", "random", "zero"),
            new long[] {1, 2, 4, 8},
            new double[][] {{4.0, 3.9, 3.5, 3.0}, {4.1, 3.8, 3.6, 3.2}, {4.2, 4.0, 3.4, 3.1}},
            new double[] {1.0, -0.5, 0.5, 1.0});
    ModelAnalysis lag =
        new ModelAnalysis("lag", Map.of(), Optional.empty(), List.of()).withLag(curve);
    java.util.List<MethodRun> runs = new java.util.ArrayList<>(base.runs());
    runs.add(run("lag", 3.2e12, 90, 4.1, 0.3));
    java.util.Map<String, ModelAnalysis> analyses = new java.util.HashMap<>(base.analyses());
    analyses.put("lag", lag);
    DemoResults withLag = new DemoResults(base.title(), base.setup(), runs, analyses);

    DemoReportWriter.write(withLag, dir);

    String md = Files.readString(dir.resolve(DemoReportWriter.REPORT));
    assertThat(md).contains("## LAG analysis: lag, growth into stage 2", "LAG chose after 4 steps");
    List<Map<String, String>> rows = ReportTables.table(dir.resolve("report.md"), "tau");
    assertThat(rows).extracting(r -> r.get("tau")).containsExactly("1", "2", "4", "8");
    assertThat(rows.get(1)).containsEntry("random", "3.8000").containsEntry("rho", "-0.500");
    assertThat(ImageIO.read(dir.resolve("lag-spearman.png").toFile())).isNotNull();
    assertThat(md).contains("(lag-spearman.png)");
    DemoResults read = ResultsJson.read(Files.readAllBytes(dir.resolve(ResultsJson.FILE)), "test");
    assertThat(read.analyses().get("lag").lag()).contains(curve);
  }

  @Test
  void aReportWithoutABaselineShowsNoSpeedupsRatherThanNaN(@TempDir Path dir) throws Exception {
    // One method's own report (each run's report in the store), a sweep of stacked methods only.
    DemoResults all = results();
    MethodRun midas = all.run("midas").orElseThrow();
    MethodRun unmeasured = like(midas, midas.method(), midas.experiment(), Double.NaN);
    DemoResults alone = new DemoResults(all.title(), all.setup(), List.of(unmeasured), Map.of());
    DemoReportWriter.write(alone, dir);

    Map<String, String> row = ReportTables.table(dir.resolve("report.md"), "method").get(0);
    assertThat(row.get("FLOPs speedup")).isEqualTo("-");
    assertThat(row.get("loop speedup")).isEqualTo("-");
    assertThat(row.get("wall-clock speedup")).isEqualTo("-");
    assertThat(row.get("training loop (s)")).isEqualTo("-");
    assertThat(Files.readString(dir.resolve("report.md"))).doesNotContain("NaN");
    JsonNode json = new ObjectMapper().readTree(dir.resolve(ResultsJson.FILE).toFile());
    assertThat(json.path("runs").get(0).get("flopsSpeedup").isNull()).isTrue();
    assertThat(json.path("runs").get(0).get("wallSpeedup").isNull()).isTrue();
    assertThat(json.path("runs").get(0).get("loopSeconds").isNull()).isTrue();
    assertThat(ResultsJson.read(Files.readAllBytes(dir.resolve(ResultsJson.FILE)), "test"))
        .isEqualTo(alone);
  }

  @Test
  void resultsJsonReadsBackToTheResultsItWasWrittenFrom() throws Exception {
    DemoResults read =
        ResultsJson.read(java.nio.file.Files.readAllBytes(tmp.resolve("results.json")), "test");

    assertThat(read).isEqualTo(results());
  }

  @Test
  void aReportOfAnotherOperatorStillDrawsItsHeatmaps(@TempDir Path dir) throws Exception {
    DemoResults all = results();
    MethodRun midas = all.run("midas").orElseThrow();
    MethodRun zero = like(midas, "zero", "demo-zero", midas.loopSeconds());
    var a = all.analyses().get("midas");
    DemoResults one =
        new DemoResults(
            "zero alone",
            List.of(),
            List.of(zero),
            Map.of(
                "zero",
                new ModelAnalysis("zero", a.blockSimilarity(), a.functional(), a.linearity())));

    DemoReportWriter.write(one, dir);

    assertThat(dir.resolve("block-similarity-attn-q-weight.png")).exists();
    assertThat(dir.resolve("functional-similarity.png")).exists();
  }
}
