package dev.midas.pipelines.primitives;

import dev.midas.pipelines.dataset.DatasetLayout;
import dev.midas.pipelines.dataset.ShardFile;
import dev.midas.pipelines.dataset.TfRecordFiles;
import dev.midas.proto.FileEntry;
import dev.midas.proto.ReasoningExample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * One TFRecord file per split ({@code fewshot-00000-of-00001.tfrecord}, ...) of serialized {@code
 * ReasoningExample}s, sorted by task, depth, variant and id, in the run's temporary folder.
 */
public class WriteExamplesTransform
    extends PTransform<PCollection<ReasoningExample>, PCollection<ShardFile>> {
  private final DatasetLayout layout;

  public WriteExamplesTransform(DatasetLayout layout) {
    this.layout = layout;
  }

  @Override
  public PCollection<ShardFile> expand(PCollection<ReasoningExample> examples) {
    return examples
        .apply(
            "BySplit",
            WithKeys.of((ReasoningExample e) -> e.getSplit())
                .withKeyType(TypeDescriptors.strings()))
        .apply("GroupSplits", GroupByKey.create())
        .apply("Write", ParDo.of(new WriteSplitFn(layout)));
  }

  /** Sorts and writes one split. */
  static class WriteSplitFn extends DoFn<KV<String, Iterable<ReasoningExample>>, ShardFile> {
    private final DatasetLayout layout;

    WriteSplitFn(DatasetLayout layout) {
      this.layout = layout;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<ReasoningExample>> split, OutputReceiver<ShardFile> out)
        throws IOException {
      List<ReasoningExample> examples = new ArrayList<>();
      split.getValue().forEach(examples::add);
      examples.sort(
          Comparator.comparing(ReasoningExample::getTask)
              .thenComparingInt(ReasoningExample::getDepth)
              .thenComparing(ReasoningExample::getVariant)
              .thenComparingLong(ReasoningExample::getId));
      List<byte[]> records = new ArrayList<>(examples.size());
      examples.forEach(e -> records.add(e.toByteArray()));
      String name = DatasetLayout.shardName(split.getKey(), 0, 1);
      FileEntry entry = TfRecordFiles.write(layout.runDir(), name, records);
      out.output(
          new ShardFile(
              split.getKey(), 0, 1, name, entry.getSize(), entry.getSha256(), examples.size()));
    }
  }
}
