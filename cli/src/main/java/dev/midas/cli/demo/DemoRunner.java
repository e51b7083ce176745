package dev.midas.cli.demo;

import dev.midas.cli.corpus.CorpusCache;
import dev.midas.cli.corpus.PinnedTarball;
import dev.midas.cli.progress.PhaseProgress;
import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.stacking.progress.Progress;
import dev.midas.stacking.report.ReportStore;
import dev.midas.stacking.results.DemoResults;
import dev.midas.stacking.runner.StageException;
import dev.midas.stacking.runner.SweepReportRunner;
import dev.midas.store.ObjectStore;
import dev.midas.store.ObjectStores;
import dev.midas.store.StoreOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The demo, end to end: corpus, tokenized dataset and primitives (reused when already committed
 * with the same parameters), then for each method one staged run through the object store, which
 * the local runner evaluates with the evaluation entry point after its last stage (its report under
 * {@code runs/<experiment>/<uid>/report/}), exactly as the operator does on a cluster; then the
 * methods' comparison report from the sweep report entry point, copied into the local folder.
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

  private DemoRunner() {}

  public static Outcome run(Config c, PhaseProgress phases) throws Exception {
    long started = System.nanoTime();
    DemoPlan plan = c.plan();
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
      ResolvedSpec.Evaluation e = template.evaluation();
      if (!e.tasks().isEmpty() || e.finetune()) {
        try (Progress p = phases.start("primitives (GeneratePrimitives)", 1)) {
          primitives =
              Optional.of(
                  PrimitivesStep.run(
                      store,
                      plan.settings().primitivesPerTask(),
                      e.evalPerTask(),
                      // A seed's worth of room for examples that do not fit seq_len.
                      e.finetuneExamples() * (e.finetuneSeeds() + 1),
                      template.seed()));
          p.message(primitives.get());
          p.stepTo(1);
        }
      }
      return trainAndReport(c, store, root, corpus, dataset, primitives, phases, started);
    }
  }

  private static Outcome trainAndReport(
      Config c,
      ObjectStore store,
      String root,
      CorpusFiles corpus,
      String dataset,
      Optional<String> primitives,
      PhaseProgress phases,
      long started)
      throws Exception {
    DemoPlan plan = c.plan();
    Path out = c.out().toAbsolutePath();
    ResolvedSpec template = plan.resolvedTemplate(plan.methods().get(plan.methods().size() - 1));
    List<String> notes = new ArrayList<>();
    List<String> runs = new ArrayList<>();
    StringBuilder ids = new StringBuilder();
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
      try (Progress p = phases.start("train and evaluate " + method, spec.numStages() + 1)) {
        layout =
            TrainingStep.run(
                specFile,
                experiment,
                root,
                plan.settings().threads(),
                out.resolve("logs").resolve(experiment + ".log"),
                p);
        p.stepTo(spec.numStages() + 1);
      }
      notes.add(
          String.format(
              "%s: %d stage(s) trained and evaluated in %.1f s end to end (processes included),"
                  + " run %s",
              method,
              spec.numStages(),
              (System.nanoTime() - t0) / 1e9,
              store.uri(layout.runPrefix())));
      runs.add(layout.experiment() + "/" + layout.uid() + "=" + method);
      ids.append(layout.experiment()).append('/').append(layout.uid()).append('\n');
    }
    List<String> header = DemoSetup.describe(plan, template, corpus, store, dataset, primitives);
    header.addAll(notes);
    header.add(String.format("demo wall clock: %.1f s", (System.nanoTime() - started) / 1e9));
    try (Progress p = phases.start("report", 1)) {
      RunLayout report =
          new RunLayout(plan.name(), "report-" + DatasetStep.shortHash(ids.toString()));
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--name", report.experiment(),
                  "--uid", report.uid(),
                  "--root", root,
                  "--title", "MIDAS demo: " + plan.name(),
                  "--termination-log",
                      out.resolve("logs").resolve("report.termination").toString()));
      runs.forEach(r -> args.addAll(List.of("--run", r)));
      header.forEach(line -> args.addAll(List.of("--note", line)));
      java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
      int code =
          SweepReportRunner.run(
              args.toArray(String[]::new),
              new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
      if (code != 0) {
        throw new StageException(
            ExitClass.of(code),
            "the comparison report failed (exit "
                + code
                + "): "
                + printed.toString(StandardCharsets.UTF_8).trim());
      }
      Path dir = out.resolve("report").resolve(plan.name() + "-" + report.uid());
      ReportStore.download(store, report.reportPrefix(), dir);
      p.stepTo(1);
      return new Outcome(
          ReportStore.results(store, report.reportPrefix()),
          dir,
          ReportStore.reportUri(store, report.reportPrefix()));
    }
  }
}
