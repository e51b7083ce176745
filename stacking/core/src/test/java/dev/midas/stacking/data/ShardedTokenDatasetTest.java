package dev.midas.stacking.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midas.store.TestingObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardedTokenDatasetTest {
  private static final int SEQ = 4;

  private static List<int[]> windows(int first, int count) {
    List<int[]> w = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int[] t = new int[SEQ + 1];
      for (int k = 0; k <= SEQ; k++) {
        t[k] = (first + i + k) % 50;
      }
      w.add(t);
    }
    return w;
  }

  private static String writeDataset(TestingObjectStore store) throws IOException {
    Map<String, byte[]> shards = new LinkedHashMap<>();
    shards.put("train-00001-of-00002.tfrecord", TokenShardWriter.shard(windows(30, 2)));
    shards.put("train-00000-of-00002.tfrecord", TokenShardWriter.shard(windows(0, 3)));
    shards.put("validation/part-00000-of-00001.tfrecord", TokenShardWriter.shard(windows(40, 1)));
    return TokenShardWriter.write(
        store, "data/test/v1/", "test", SEQ, 50, shards, Map.of("train", 5L, "validation", 1L));
  }

  @Test
  void loadsTheSplitsShardsInPathOrder() throws IOException {
    TestingObjectStore store = new TestingObjectStore();
    String manifest = writeDataset(store);
    TokenDataset train = ShardedTokenDataset.open(store, manifest, "train");
    assertThat(train.windowLength()).isEqualTo(SEQ + 1);
    assertThat(train.sequences()).isEqualTo(5);
    int[] w = new int[SEQ + 1];
    train.read(3, w, 0);
    assertThat(w).containsExactly(windows(30, 1).get(0));
    TokenDataset val = ShardedTokenDataset.open(store, manifest, "validation");
    val.read(0, w, 0);
    assertThat(w).containsExactly(windows(40, 1).get(0));
  }

  @Test
  void refusesAShardWhoseBytesDoNotMatchTheManifest() throws IOException {
    TestingObjectStore store = new TestingObjectStore();
    String manifest = writeDataset(store);
    byte[] shard = store.get("data/test/v1/train-00000-of-00002.tfrecord");
    byte[] other = TokenShardWriter.shard(windows(7, 3));
    assertThat(other).hasSameSizeAs(shard);
    store.put("data/test/v1/train-00000-of-00002.tfrecord", other);
    assertThatThrownBy(() -> ShardedTokenDataset.open(store, manifest, "train"))
        .isInstanceOf(DatasetException.class)
        .hasMessage(
            "mem://testing/data/test/v1/train-00000-of-00002.tfrecord does not match its SHA-256 in"
                + " the manifest");
  }

  @Test
  void refusesWindowsOfTheWrongLengthAndUnknownSplits() throws IOException {
    TestingObjectStore store = new TestingObjectStore();
    String manifest =
        TokenShardWriter.write(
            store,
            "d/",
            "test",
            SEQ + 1,
            50,
            Map.of("train-00000-of-00001.tfrecord", TokenShardWriter.shard(windows(0, 1))),
            Map.of());
    assertThatThrownBy(() -> ShardedTokenDataset.open(store, manifest, "train"))
        .hasMessage(
            "mem://testing/d/train-00000-of-00001.tfrecord: record 0 has 5 tokens, expected seq_len"
                + " + 1 = 6");
    assertThatThrownBy(() -> ShardedTokenDataset.open(store, manifest, "test"))
        .hasMessage("mem://testing/d/MANIFEST lists no shard of split 'test'");
  }
}
