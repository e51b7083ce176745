package dev.midas.cli.demo;

import dev.midas.cli.corpus.CorpusCache;
import dev.midas.cli.corpus.PinnedTarball;
import dev.midas.cli.progress.PhaseProgress;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.stacking.eval.FewShotEvaluator;
import dev.midas.stacking.eval.FineTuneEvaluator;
import dev.midas.stacking.eval.FineTuner;
import dev.midas.stacking.eval.TokenizerCodec;
import dev.midas.stacking.evaluation.EvaluationInputs;
import dev.midas.stacking.evaluation.InputsLoader;
import dev.midas.stacking.evaluation.MethodEvaluator;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.stacking.progress.Progress;
import dev.midas.stacking.report.DemoReportWriter;
import dev.midas.stacking.results.DemoResults;
import dev.midas.stacking.results.MethodRun;
import dev.midas.stacking.results.ModelAnalysis;
import dev.midas.store.ObjectStore;
import dev.midas.store.ObjectStores;
import dev.midas.store.StoreOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo, end to end: corpus, tokenized dataset and primitives (reused when already committed
 * with the same parameters), one staged training run per method through the object store, every
 * checkpoint evaluated, the final models analysed, and the report written locally and to the store.
 */
public final class DemoRunner {

  /**
   * @param corpus a folder or file of text; empty for the cached Brown corpus
   * @param out local working and report folder
   * @param root object-store root URI; empty for {@code file://<out>/store}
   */
  public record Config(DemoPlan plan, Optional<Path> corpus, Path out, Optional<String> root) {}

  /** What a demo produced: its numbers, the local report folder and the report in the store. */
  public record Outcome(DemoResults results, Path reportDir, URI reportUri) {}

  /**
   * Greedy decoding budget: answers are a number up to 25 or a short word, a few BPE tokens, then
   * the newline that ends them.
   */
  static final int MAX_ANSWER_TOKENS = 6;

  private DemoRunner() {}

  public static Outcome run(Config c, PhaseProgress phases) throws Exception {
    long started = System.nanoTime();
    DemoPlan plan = c.plan();
    if (plan.settings().threads() > 0) {
      // Evaluation runs in this process: as many threads as the stage processes train with.
      PyTorchRuntime.use(plan.settings().threads());
    }
    Path out = c.out().toAbsolutePath();
    Files.createDirectories(out);
    // Path.toUri() ends in '/' only once the folder exists: strip it, so that the spec (and the
    // run uid derived from it) is the same on every run.
    String root = c.root().orElse(out.resolve("store").toUri().toString()).replaceAll("/+$", "");
    ResolvedSpec template = plan.resolvedTemplate(plan.methods().get(plan.methods().size() - 1));
    try (ObjectStore store = ObjectStores.open(root, StoreOptions.DEFAULTS)) {
      CorpusFiles corpus;
      try (Progress p = phases.start("corpus", 1)) {
        Path dir =
            c.corpus().isPresent()
                ? c.corpus().get()
                : CorpusCache.standard().locate(PinnedTarball.BROWN);
        corpus = CorpusFiles.select(dir, plan.settings().corpusFiles());
        p.message(corpus.files().size() + " files, " + corpus.format());
        p.stepTo(1);
      }
      String dataset;
      try (Progress p = phases.start("tokenize (PreprocessCorpus)", 1)) {
        dataset =
            DatasetStep.run(
                store,
                corpus,
                "demo-corpus",
                template.model().vocabSize(),
                template.model().seqLen(),
                template.seed());
        p.message(dataset);
        p.stepTo(1);
      }
      Optional<String> primitives = Optional.empty();
      if (!template.evaluation().tasks().isEmpty() || template.evaluation().finetune()) {
        try (Progress p = phases.start("primitives (GeneratePrimitives)", 1)) {
          DemoSettings s = plan.settings();
          primitives =
              Optional.of(
                  PrimitivesStep.run(
                      store,
                      s.primitivesPerTask(),
                      s.evalPerTask(),
                      // A seed's worth of room for examples that do not fit seq_len.
                      s.finetuneExamples() * (s.finetuneSeeds() + 1),
                      template.seed()));
          p.message(primitives.get());
          p.stepTo(1);
        }
      }
      try (TokenizerCodec codec =
          InputsLoader.tokenizer(store, dataset, out.resolve("tokenizer"))) {
        EvaluationInputs inputs = inputs(store, dataset, primitives, template, plan, codec);
        return trainEvaluateReport(
            c, store, root, corpus, dataset, primitives, inputs, phases, started);
      }
    }
  }

  private static Outcome trainEvaluateReport(
      Config c,
      ObjectStore store,
      String root,
      CorpusFiles corpus,
      String dataset,
      Optional<String> primitives,
      EvaluationInputs inputs,
      PhaseProgress phases,
      long started)
      throws Exception {
    DemoPlan plan = c.plan();
    Path out = c.out().toAbsolutePath();
    ResolvedSpec template = plan.resolvedTemplate(plan.methods().get(plan.methods().size() - 1));
    List<MethodRun> runs = new ArrayList<>();
    Map<String, ModelAnalysis> analyses = new LinkedHashMap<>();
    List<String> setup = new ArrayList<>();
    for (String method : plan.methods()) {
      String experiment = plan.experimentName(method);
      String datasetUri = store.uri(dataset).toString();
      String primitivesUri = primitives.map(k -> store.uri(k).toString()).orElse(null);
      ResolvedSpec spec = plan.resolve(method, datasetUri, primitivesUri, root);
      Path specFile = out.resolve("specs").resolve(experiment + ".json");
      Files.createDirectories(specFile.getParent());
      Files.writeString(
          specFile, plan.specJson(method, datasetUri, primitivesUri, root), StandardCharsets.UTF_8);
      RunLayout layout;
      long t0 = System.nanoTime();
      try (Progress p = phases.start("train " + method, spec.numStages())) {
        layout =
            TrainingStep.run(
                specFile,
                experiment,
                root,
                plan.settings().threads(),
                out.resolve("logs").resolve(experiment + ".log"),
                p);
        p.stepTo(spec.numStages());
      }
      setup.add(
          String.format(
              "%s: %d stage(s), trained in %.1f s end to end (stage processes included), run %s",
              method,
              spec.numStages(),
              (System.nanoTime() - t0) / 1e9,
              store.uri(layout.runPrefix())));
      try (Progress p = phases.start("evaluate " + method, 1)) {
        MethodEvaluator.Measured m =
            MethodEvaluator.evaluate(method, store, layout, spec, inputs, p);
        runs.add(m.run());
        analyses.put(method, m.analysis());
        setup.add(method + ": evaluated in " + m.seconds());
        p.message(m.seconds().toString());
      }
    }
    List<String> header = DemoSetup.describe(plan, template, corpus, store, dataset, primitives);
    header.addAll(setup);
    header.add(String.format("demo wall clock: %.1f s", (System.nanoTime() - started) / 1e9));
    DemoResults results =
        new DemoResults(
            "MIDAS demo: " + plan.name() + " (" + Instant.now() + ")", header, runs, analyses);
    try (Progress p = phases.start("report", 1)) {
      String id = reportId(runs);
      Path dir = out.resolve("report").resolve(plan.name() + "-" + id);
      List<Path> files = DemoReportWriter.write(results, dir);
      RunLayout reportRun = new RunLayout(plan.name(), id);
      for (Path f : files) {
        store.put(reportRun.reportPrefix() + f.getFileName(), f);
      }
      p.stepTo(1);
      return new Outcome(
          results, dir, store.uri(reportRun.reportPrefix() + DemoReportWriter.REPORT));
    }
  }

  private static EvaluationInputs inputs(
      ObjectStore store,
      String dataset,
      Optional<String> primitives,
      ResolvedSpec template,
      DemoPlan plan,
      TokenizerCodec codec)
      throws IOException {
    DemoSettings s = plan.settings();
    ResolvedSpec.Evaluation e = template.evaluation();
    return new EvaluationInputs(
        InputsLoader.validation(store, dataset),
        template.schedule().batchSize(),
        e.valBatches(),
        codec,
        InputsLoader.primitives(store, primitives.orElse(null), e.tasks()),
        new FewShotEvaluator.Options(
            e.shots(), s.evalPerTask(), MAX_ANSWER_TOKENS, template.seed()),
        new FineTuneEvaluator.Options(
            s.finetuneExamples(),
            s.finetuneSeeds(),
            new FineTuner.Options(s.finetuneSteps(), 16, 1e-3),
            s.evalPerTask(),
            MAX_ANSWER_TOKENS),
        e.finetune(),
        s.analysisTokens(),
        template.seed());
  }

  /** One id for the demo's report from the runs it compares (stable for the same runs). */
  private static String reportId(List<MethodRun> runs) {
    StringBuilder b = new StringBuilder();
    runs.forEach(r -> b.append(r.experiment()).append('/').append(r.uid()).append('\n'));
    return "report-" + DatasetStep.shortHash(b.toString());
  }
}
