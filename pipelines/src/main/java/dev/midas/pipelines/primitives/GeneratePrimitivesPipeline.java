package dev.midas.pipelines.primitives;

import dev.midas.pipelines.dataset.CodeVersion;
import dev.midas.pipelines.dataset.DatasetCommitter;
import dev.midas.pipelines.dataset.DatasetLayout;
import dev.midas.pipelines.dataset.FileWriter;
import dev.midas.pipelines.dataset.ManifestJson;
import dev.midas.pipelines.dataset.PipelineRuns;
import dev.midas.pipelines.dataset.ShardFile;
import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import dev.midas.proto.ReasoningExample;
import dev.midas.proto.SplitStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * GeneratePrimitives: the reasoning-primitive datasets of MIDAS.md section 5 (induction copying,
 * variable assignment at depths 0-2 in math and code form, pre-school math), deterministic from a
 * seed, in few-shot, fine-tune and evaluation splits, committed with a manifest.
 */
public final class GeneratePrimitivesPipeline {
  static final List<String> SPLITS =
      List.of(ExampleSets.FEWSHOT, ExampleSets.EVAL, ExampleSets.FINETUNE);

  private GeneratePrimitivesPipeline() {}

  public static void main(String[] args) {
    System.setProperty("ai.djl.offline", "true");
    PipelineOptionsFactory.register(GeneratePrimitivesOptions.class);
    GeneratePrimitivesOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(GeneratePrimitivesOptions.class);
    System.out.println(ManifestJson.print(run(options)));
  }

  /** Runs the pipeline to completion and returns the committed manifest. */
  public static DatasetManifest run(GeneratePrimitivesOptions options) {
    return PipelineRuns.run(
        options, options.getDataset(), (pipeline, layout) -> build(pipeline, options, layout));
  }

  static void build(Pipeline p, GeneratePrimitivesOptions o, DatasetLayout layout) {
    ExampleSets.Sizes sizes =
        new ExampleSets.Sizes(o.getFewshotPool(), o.getFinetuneExamples(), o.getEvalInstances());
    List<Integer> tasks = new ArrayList<>();
    for (int i = 0; i < PrimitiveTask.all().size(); i++) {
      tasks.add(i);
    }
    PCollection<ShardFile> files =
        p.apply("Tasks", Create.of(tasks))
            .apply("Generate", ParDo.of(new GenerateExamplesFn(o.getSeed(), sizes)))
            .setCoder(ReasoningExampleCoder.of())
            .apply("WriteSplits", new WriteExamplesTransform(layout));
    PCollectionView<List<ShardFile>> written = files.apply("AllFiles", View.asList());
    DatasetManifest template =
        DatasetManifest.newBuilder()
            .setFormatVersion(1)
            .setKind("primitives")
            .setName(o.getDataset())
            .setVersion(o.getVersion())
            .setFormat("tfrecord/ReasoningExample")
            .setSeed(o.getSeed())
            .setCodeVersion(CodeVersion.get())
            .build();
    p.apply("Trigger", Create.of("commit"))
        .apply("Commit", ParDo.of(new CommitFn(layout, template, written)).withSideInputs(written));
  }

  /** Generates every example of one task configuration. */
  static class GenerateExamplesFn extends DoFn<Integer, ReasoningExample> {
    private final Counter examples = Metrics.counter(GenerateExamplesFn.class, "examples");
    private final long seed;
    private final ExampleSets.Sizes sizes;

    GenerateExamplesFn(long seed, ExampleSets.Sizes sizes) {
      this.seed = seed;
      this.sizes = sizes;
    }

    @ProcessElement
    public void process(@Element Integer taskIndex, OutputReceiver<ReasoningExample> out) {
      PrimitiveTask task = PrimitiveTask.all().get(taskIndex);
      for (ReasoningExample e : ExampleSets.generate(task, taskIndex, seed, sizes)) {
        examples.inc();
        out.output(e);
      }
    }
  }

  /** Completes the split set (an empty split still gets its file) and commits, MANIFEST last. */
  static class CommitFn extends DoFn<String, String> {
    private final DatasetLayout layout;
    private final DatasetManifest template;
    private final PCollectionView<List<ShardFile>> written;

    CommitFn(
        DatasetLayout layout, DatasetManifest template, PCollectionView<List<ShardFile>> written) {
      this.layout = layout;
      this.template = template;
      this.written = written;
    }

    @ProcessElement
    public void process(ProcessContext c) throws IOException {
      DatasetManifest.Builder manifest = template.toBuilder();
      List<FileEntry> files = new ArrayList<>();
      List<ShardFile> shards = c.sideInput(written);
      for (String split : SPLITS) {
        ShardFile file =
            shards.stream().filter(s -> s.split().equals(split)).findFirst().orElse(null);
        long examples = file == null ? 0 : file.sequences();
        files.add(
            file != null
                ? file.entry()
                : FileWriter.writeWhole(
                    layout.runDir(), DatasetLayout.shardName(split, 0, 1), new byte[0]));
        manifest.addSplits(
            SplitStats.newBuilder()
                .setName(split)
                .setDocuments(examples)
                .setSequences(examples)
                .setShards(1));
      }
      c.output(ManifestJson.print(DatasetCommitter.commit(layout, files, manifest).manifest()));
    }
  }
}
