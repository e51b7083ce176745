package dev.midas.pipelines.testing;

import dev.midas.proto.DatasetManifest;
import dev.midas.stacking.data.ShardedTokenDataset;
import dev.midas.stacking.data.TokenDataset;
import dev.midas.store.FileObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A committed token dataset read back as the trainer reads it (the stacking core's {@link
 * ShardedTokenDataset}: every shard verified against the manifest's size and SHA-256).
 */
public final class TestingShards {
  private TestingShards() {}

  /** Every window of {@code split} of the dataset in {@code datasetDir}, in shard order. */
  public static List<int[]> windows(Path datasetDir, String split) throws IOException {
    try (FileObjectStore store = new FileObjectStore(datasetDir.getParent())) {
      TokenDataset data = ShardedTokenDataset.open(store, key(datasetDir), split);
      List<int[]> out = new ArrayList<>();
      for (long i = 0; i < data.sequences(); i++) {
        int[] w = new int[data.windowLength()];
        data.read(i, w, 0);
        out.add(w);
      }
      return out;
    }
  }

  /** The dataset's MANIFEST. */
  public static DatasetManifest manifest(Path datasetDir) throws IOException {
    try (FileObjectStore store = new FileObjectStore(datasetDir.getParent())) {
      return ShardedTokenDataset.manifest(store, key(datasetDir));
    }
  }

  private static String key(Path datasetDir) {
    return datasetDir.getFileName() + "/MANIFEST";
  }
}
