package dev.midas.stacking.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midas.proto.DatasetManifest;
import dev.midas.proto.ReasoningExample;
import dev.midas.stacking.data.TfRecordReader;
import dev.midas.store.FileObjectStore;
import dev.midas.store.artifact.ArtifactWriter;
import dev.midas.store.artifact.CorruptArtifactException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrimitivesDatasetTest {
  @TempDir Path tmp;

  static byte[] tfrecords(List<ReasoningExample> examples) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ReasoningExample e : examples) {
      byte[] data = e.toByteArray();
      byte[] len =
          ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
      out.writeBytes(len);
      out.writeBytes(le(TfRecordReader.maskedCrc(len, 8)));
      out.writeBytes(data);
      out.writeBytes(le(TfRecordReader.maskedCrc(data, data.length)));
    }
    return out.toByteArray();
  }

  static byte[] le(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  static ReasoningExample ex(String split, long id) {
    return ReasoningExample.newBuilder()
        .setTask("psm")
        .setSplit(split)
        .setId(id)
        .setPrompt("Z=1+1\nZ?")
        .setAnswer("2")
        .build();
  }

  String writeDataset(FileObjectStore store) throws Exception {
    ArtifactWriter w = new ArtifactWriter(store, "data/prims/v1/");
    w.write("eval-00000-of-00001.tfrecord", tfrecords(List.of(ex("eval", 3), ex("eval", 1))));
    w.write("fewshot-00000-of-00001.tfrecord", tfrecords(List.of(ex("fewshot", 2))));
    w.commit(
        DatasetManifest.newBuilder().setKind("primitives").setFormat(PrimitivesDataset.FORMAT));
    return w.manifestKey();
  }

  @Test
  void examplesAreGroupedBySplitInIdOrder() throws Exception {
    FileObjectStore store = new FileObjectStore(tmp);
    String key = writeDataset(store);

    Map<String, List<ReasoningExample>> splits = PrimitivesDataset.load(store, key);

    assertThat(splits).containsOnlyKeys("eval", "fewshot");
    assertThat(splits.get("eval")).extracting(ReasoningExample::getId).containsExactly(1L, 3L);
  }

  @Test
  void shardChangedAfterItsManifestIsRefusedNamingTheFile() throws Exception {
    FileObjectStore store = new FileObjectStore(tmp);
    String key = writeDataset(store);
    Path shard = store.path("data/prims/v1/eval-00000-of-00001.tfrecord");
    byte[] bytes = Files.readAllBytes(shard);
    bytes[bytes.length - 10] ^= 1;
    Files.write(shard, bytes);

    assertThatThrownBy(() -> PrimitivesDataset.load(store, key))
        .isInstanceOfAny(
            CorruptArtifactException.class, dev.midas.stacking.data.DatasetException.class)
        .hasMessageContaining("eval-00000-of-00001.tfrecord");
  }
}
