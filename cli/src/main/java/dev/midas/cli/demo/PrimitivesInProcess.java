package dev.midas.cli.demo;

import dev.midas.pipelines.primitives.ExampleSets;
import dev.midas.pipelines.primitives.PrimitiveTask;
import dev.midas.proto.DatasetManifest;
import dev.midas.proto.ReasoningExample;
import dev.midas.stacking.data.TfRecordReader;
import dev.midas.stacking.eval.PrimitivesDataset;
import dev.midas.store.ObjectStore;
import dev.midas.store.artifact.ArtifactWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stopgap for when the GeneratePrimitives pipeline cannot run: the same examples (the pipelines'
 * own {@link ExampleSets#generate}, same task order, seed and sizes) written here as one TFRecord
 * file per split, manifest last, in the layout the pipeline writes. Remove once the pipeline runs.
 */
final class PrimitivesInProcess {
  private PrimitivesInProcess() {}

  static void write(
      ObjectStore store, String folder, String version, long seed, ExampleSets.Sizes sizes)
      throws IOException {
    Map<String, ByteArrayOutputStream> splits = new TreeMap<>();
    List<PrimitiveTask> tasks = PrimitiveTask.all();
    for (int i = 0; i < tasks.size(); i++) {
      for (ReasoningExample e : ExampleSets.generate(tasks.get(i), i, seed, sizes)) {
        record(
            splits.computeIfAbsent(e.getSplit(), k -> new ByteArrayOutputStream()),
            e.toByteArray());
      }
    }
    ArtifactWriter w = new ArtifactWriter(store, folder);
    for (Map.Entry<String, ByteArrayOutputStream> s : splits.entrySet()) {
      w.write(s.getKey() + "-00000-of-00001.tfrecord", s.getValue().toByteArray());
    }
    w.commit(
        DatasetManifest.newBuilder()
            .setFormatVersion(1)
            .setKind("primitives")
            .setName(PrimitivesStep.DATASET)
            .setVersion(version)
            .setFormat(PrimitivesDataset.FORMAT)
            .setSeed(seed));
  }

  /** TFRecord framing: u64 length, masked CRC32C of it, data, masked CRC32C of the data. */
  private static void record(ByteArrayOutputStream out, byte[] data) {
    byte[] len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
    out.writeBytes(len);
    out.writeBytes(le(TfRecordReader.maskedCrc(len, 8)));
    out.writeBytes(data);
    out.writeBytes(le(TfRecordReader.maskedCrc(data, data.length)));
  }

  private static byte[] le(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }
}
