package dev.midas.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.midas.cli.progress.PhaseProgress;
import dev.midas.stacking.eval.TokenizerCodec;
import dev.midas.stacking.export.HfExport;
import dev.midas.stacking.model.TransformerLM;
import dev.midas.stacking.report.ReportTables;
import dev.midas.stacking.results.DemoResults;
import dev.midas.stacking.results.MethodRun;
import dev.midas.stacking.sampling.Generation;
import dev.midas.stacking.sampling.SamplingOptions;
import dev.midas.stacking.sampling.TextGenerator;
import dev.midas.stacking.trained.TrainedCheckpoint;
import dev.midas.stacking.trained.TrainedCheckpoints;
import dev.midas.store.StoreOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole demo path on the micro preset: a few Brown files from the shared corpus (never the
 * network), the pipelines, three staged training runs as child processes, evaluation, analysis and
 * the report; then a second run that must reuse everything already committed.
 */
class DemoSmokeTest {
  @TempDir static Path out;
  static DemoRunner.Outcome first;
  static DemoRunner.Outcome second;
  static Path datasetManifest;
  static long datasetWrittenAt;

  /** {@code ../shared/corpora/brown} from the repository root, as CI lays it out. */
  static Path sharedBrown() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      Path candidate = p.resolveSibling("shared").resolve("corpora").resolve("brown");
      if (Files.isRegularFile(p.resolve(".ci").resolve("run")) && Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("no ../shared/corpora/brown beside the repository above " + dir);
  }

  @BeforeAll
  static void runTwice() throws Exception {
    PhaseProgress quiet = new PhaseProgress(false, new PrintStream(new ByteArrayOutputStream()));
    DemoRunner.Config config =
        new DemoRunner.Config(
            DemoPlanLoader.preset("micro"), Optional.of(sharedBrown()), out, Optional.empty());
    first = DemoRunner.run(config, quiet);
    try (var files = Files.walk(out.resolve("store").resolve("data"))) {
      datasetManifest = files.filter(p -> p.endsWith("MANIFEST")).findFirst().orElseThrow();
    }
    datasetWrittenAt = Files.getLastModifiedTime(datasetManifest).toMillis();
    second = DemoRunner.run(config, quiet);
  }

  static String fmt(String f, double v) {
    return String.format(java.util.Locale.ROOT, f, v);
  }

  @Test
  void summaryTableHoldsTheNumbersMeasuredInTheRun() throws Exception {
    DemoResults r = first.results();
    List<Map<String, String>> rows =
        ReportTables.table(first.reportDir().resolve("report.md"), "method");

    assertThat(rows)
        .extracting(m -> m.get("method"))
        .containsExactly("baseline", "gradstack", "midas", "loop", "lag");
    for (Map<String, String> row : rows) {
      MethodRun run = r.run(row.get("method")).orElseThrow();
      assertThat(row.get("final val loss")).isEqualTo(fmt("%.4f", run.last().valLoss()));
      assertThat(row.get("train FLOPs")).isEqualTo(fmt("%.3e", run.flops()));
      assertThat(row.get("end-to-end (s)")).isEqualTo(fmt("%.1f", run.wallSeconds()));
      assertThat(row.get("training loop (s)")).isEqualTo(fmt("%.1f", run.loopSeconds()));
      // The loop is a part of every stage process's time.
      assertThat(run.loopSeconds()).isPositive().isLessThan(run.wallSeconds());
      // A trained model beats the uniform guess over the 320-token vocabulary.
      assertThat(run.last().valLoss()).isBetween(0.5, Math.log(320));
      assertThat(run.wallSeconds()).isPositive();
    }
  }

  @Test
  void primitivesAreScoredOnWholeShotsThatFitAndSayHowMany() throws Exception {
    // seq_len 160 holds fewer than five shots of either task: shots are dropped whole, and every
    // query still fits alone, so each of the 2 instances per task is scored.
    for (MethodRun run : first.results().runs()) {
      assertThat(run.last().fewShot())
          .isNotEmpty()
          .allSatisfy(
              s -> {
                assertThat(s.getN()).isEqualTo(2);
                assertThat(s.getUnfit()).isZero();
                assertThat(s.getMeanShots()).isLessThan(5);
                assertThat(s.getCiLow()).isLessThanOrEqualTo(s.getAccuracy());
                assertThat(s.getCiHigh()).isGreaterThanOrEqualTo(s.getAccuracy());
              });
      assertThat(run.finetune())
          .hasSize(2)
          .allSatisfy(
              s -> {
                assertThat(s.getN()).isEqualTo(2);
                assertThat(s.getSeeds()).isEqualTo(2);
              });
    }
    assertThat(Files.readString(first.reportDir().resolve("report.md"))).contains("shots");
  }

  @Test
  void stagedMethodsCostFewerFlopsThanTheBaselineOnTheSameSteps() {
    DemoResults r = first.results();
    MethodRun baseline = r.run("baseline").orElseThrow();
    MethodRun midas = r.run("midas").orElseThrow();

    // Two stages of 1 and 2 layers, Prop-1 (4 then 8 steps) against 12 steps at 2 layers.
    assertThat(r.flopsSpeedup(midas)).isGreaterThan(1.0);
    assertThat(midas.last().globalStep()).isEqualTo(baseline.last().globalStep()).isEqualTo(12);
    assertThat(midas.checkpoints()).extracting(c -> c.stage()).contains(1, 2);
    assertThat(midas.checkpoints().get(0).flops())
        .isLessThan(baseline.checkpoints().get(0).flops());
  }

  @Test
  void lagIsChargedItsCandidatesAndAnalysedAndTheLoopedModelCostsWhatTheBaselineDoes()
      throws Exception {
    DemoResults r = first.results();
    MethodRun lag = r.run("lag").orElseThrow();
    MethodRun midas = r.run("midas").orElseThrow();
    MethodRun loop = r.run("loop").orElseThrow();
    String md = Files.readString(first.reportDir().resolve("report.md"));

    // The losing candidates' steps are charged on top of the schedule MIDAS also trains.
    assertThat(lag.flops()).isGreaterThan(midas.flops());
    assertThat(loop.flops()).isCloseTo(r.run("baseline").orElseThrow().flops(), within(1.0));
    assertThat(md).containsPattern("lag: LAG into stage 2: \\S+ chosen among 3 candidates");
    assertThat(md).contains("## LAG analysis: lag, growth into stage 2", "lag-spearman.png");
    assertThat(r.analyses().get("lag").lag().orElseThrow().candidates())
        .containsExactly("midas", "random", "zero");
    assertThat(r.analyses().get("loop").blockSimilarity()).isNotEmpty();
  }

  @Test
  void everyCommittedCheckpointOfTheRunsExportsAndWrites() throws Exception {
    List<Path> manifests;
    try (var files = Files.walk(out.resolve("store").resolve("runs"))) {
      // checkpoints only: the runs' reports are committed with a MANIFEST too
      manifests =
          files
              .filter(p -> p.endsWith("MANIFEST"))
              .filter(p -> p.toString().contains("/ckpt/") || p.toString().contains("/grown/"))
              .sorted()
              .toList();
    }
    java.util.Set<String> kinds = new java.util.TreeSet<>();
    int n = 0;
    for (Path m : manifests) {
      TrainedCheckpoint ckpt = TrainedCheckpoints.read(m.toUri().toString(), StoreOptions.DEFAULTS);
      kinds.add(ckpt.manifest().getKind().name());
      HfExport.Result r = HfExport.write(ckpt, out.resolve("hf-" + n++));
      assertThat(r.architecture()).isEqualTo("GPT2LMHeadModel");
      try (TransformerLM model = ckpt.newModel();
          TokenizerCodec codec = ckpt.requireTokenizer().codec()) {
        Generation g =
            new TextGenerator(model, codec).generate("The", SamplingOptions.greedy(4), t -> {});
        assertThat(g.newIds().length + (g.stop() == Generation.Stop.END_OF_TEXT ? 1 : 0))
            .isPositive();
      }
    }
    assertThat(kinds)
        .contains(
            "CHECKPOINT_KIND_PERIODIC", "CHECKPOINT_KIND_STAGE_FINAL", "CHECKPOINT_KIND_GROWN");
  }

  @Test
  void theReportShowsWhatEachMethodsFinalModelWritesAfterEachPrompt() throws Exception {
    String md = Files.readString(first.reportDir().resolve("report.md"));

    assertThat(md).contains("## What the models write (final model, greedy)");
    for (String method : List.of("baseline", "gradstack", "midas")) {
      assertThat(md).containsPattern("(?m)^" + method + " +He said that");
    }
  }

  @Test
  void everyLinkedPlotIsAPngWithSomethingDrawn() throws Exception {
    String md = Files.readString(first.reportDir().resolve("report.md"));
    List<String> pngs =
        Pattern.compile("\\]\\(([^)]+\\.png)\\)")
            .matcher(md)
            .results()
            .map(m -> m.group(1))
            .toList();

    assertThat(pngs)
        .contains("loss-vs-flops.png", "loss-vs-wallclock.png", "functional-similarity.png");
    assertThat(pngs).anyMatch(p -> p.startsWith("block-similarity-"));
    for (String png : pngs) {
      BufferedImage img = ImageIO.read(first.reportDir().resolve(png).toFile());
      assertThat(img).as(png).isNotNull();
      assertThat(colours(img)).as(png + " colours").isGreaterThan(3);
    }
  }

  @Test
  void resultsJsonAndTheStoreCopyAgreeWithTheRun() throws Exception {
    JsonNode json = new ObjectMapper().readTree(first.reportDir().resolve("results.json").toFile());
    MethodRun midas = first.results().run("midas").orElseThrow();

    JsonNode node = json.get("runs").get(2);
    assertThat(node.get("method").asText()).isEqualTo("midas");
    assertThat(node.get("checkpoints").size()).isEqualTo(midas.checkpoints().size());
    assertThat(node.get("checkpoints").get(0).get("valLoss").asDouble())
        .isCloseTo(midas.checkpoints().get(0).valLoss(), within(1e-12));
    Path inStore = Path.of(first.reportUri());
    assertThat(inStore).exists().hasSameTextualContentAs(first.reportDir().resolve("report.md"));
  }

  @Test
  void secondRunReusesTheDatasetAndTheFinishedTrainingRuns() throws Exception {
    assertThat(Files.getLastModifiedTime(datasetManifest).toMillis()).isEqualTo(datasetWrittenAt);
    for (String method : List.of("baseline", "gradstack", "midas")) {
      MethodRun a = first.results().run(method).orElseThrow();
      MethodRun b = second.results().run(method).orElseThrow();
      assertThat(b.uid()).isEqualTo(a.uid());
      assertThat(b.last().valLoss()).isEqualTo(a.last().valLoss());
      assertThat(b.wallSeconds()).isEqualTo(a.wallSeconds());
    }
  }

  static int colours(BufferedImage img) {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 7) {
      for (int x = 0; x < img.getWidth(); x += 7) {
        seen.add(img.getRGB(x, y));
      }
    }
    return seen.size();
  }
}
