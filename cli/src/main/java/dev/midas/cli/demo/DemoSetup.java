package dev.midas.cli.demo;

import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.store.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The report's description of a demo's setup: what was trained on what, on which machine. */
final class DemoSetup {
  private DemoSetup() {}

  static List<String> describe(
      DemoPlan plan,
      ResolvedSpec t,
      CorpusFiles corpus,
      ObjectStore store,
      String dataset,
      Optional<String> primitives)
      throws IOException {
    List<String> lines = new ArrayList<>();
    ResolvedSpec.Model m = t.model();
    lines.add(
        "experiment: " + plan.source() + " (methods: " + String.join(", ", plan.methods()) + ")");
    lines.add(
        String.format(
            "corpus: %d files (%,d bytes, format %s) from %s",
            corpus.files().size(),
            corpus.bytes(),
            corpus.format(),
            corpus.files().get(0).getParent()));
    lines.add("token dataset: " + store.uri(dataset));
    lines.add(
        "primitives: "
            + primitives
                .map(k -> store.uri(k).toString())
                .orElse("none (no primitives dataset could be made; primitive scores are absent)"));
    lines.add(
        String.format(
            "model: %d layers, d_model %d, %d heads, ffn %d, seq_len %d, vocab %d, %s, %s, %s"
                + " positions",
            m.targetLayers(),
            m.dModel(),
            m.heads(),
            m.ffn(),
            m.seqLen(),
            m.vocabSize(),
            m.norm(),
            m.activation(),
            m.positions()));
    lines.add(
        String.format(
            "schedule: %d steps of batch %d for every method; staged methods: %s alpha %.1f, block"
                + " size %d; lr peak %.2g",
            t.schedule().totalSteps(),
            t.schedule().batchSize(),
            t.schedule().type(),
            t.schedule().alpha(),
            t.growth().blockSize(),
            t.schedule().lr().peak()));
    ResolvedSpec.Evaluation e = t.evaluation();
    lines.add(
        String.format(
            "evaluation: validation loss on %d batches; %d-shot primitives on %d instances per"
                + " task (whole shots dropped where five do not fit seq_len: the tables show the"
                + " shots used); fine-tuning on %d examples x %d seeds (each seed its own"
                + " examples), %d steps",
            e.valBatches(),
            e.shots(),
            e.evalPerTask(),
            e.finetuneExamples(),
            e.finetuneSeeds(),
            e.finetuneSteps()));
    double[] half = dev.midas.stacking.eval.Wilson.interval95(0.5, e.evalPerTask());
    lines.add(
        String.format(
            java.util.Locale.ROOT,
            "resolution: each accuracy is over at most %d instances of a task, so its 95%% interval"
                + " at 0.5 spans %.2f to %.2f (Wilson): differences smaller than that are noise",
            e.evalPerTask(),
            half[0],
            half[1]));
    lines.add(
        String.format(
            "machine: %d cores, Java %s, %s %s; seed %d",
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"),
            System.getProperty("os.name"),
            System.getProperty("os.arch"),
            t.seed()));
    return lines;
  }
}
