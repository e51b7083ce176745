package dev.midas.bench.training;

import dev.midas.plan.spec.Precision;
import dev.midas.stacking.data.Batch;
import dev.midas.stacking.data.BatchPrefetcher;
import dev.midas.stacking.data.DataOrder;
import dev.midas.stacking.data.InMemoryTokenDataset;
import dev.midas.stacking.data.ShardedTokenDataset;
import dev.midas.stacking.data.TokenShardWriter;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.store.ObjectStore;
import dev.midas.store.ObjectStores;
import dev.midas.store.StoreOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The data loader alone against the trainer: writes seeded TFRecord shards and their manifest to an
 * object store ({@code file://} temp folder by default, any {@code --root} the stores accept), then
 * times (1) opening the train split through the store (read, CRC32C and SHA-256 checks, protobuf
 * parsing) and (2) the background {@link BatchPrefetcher} handing batches to a consumer that does
 * nothing else, and compares both with the trainer's tokens/s on the same batch shape measured in
 * this process. Target: the loader at least 10x the trainer. The S3 figure comes from {@link
 * S3LoaderBench} (S3Proxy in-process), which calls {@link #measure}.
 *
 * <pre>
 * LoaderBench [--size small|large] [--windows 20000] [--shards 8] [--batches 20000]
 *             [--root file:///tmp/x] [--endpoint http://host:port] [--threads 2]
 * </pre>
 */
public final class LoaderBench {
  private LoaderBench() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("ai.djl.offline", "true");
    BenchArgs a = new BenchArgs(args);
    BenchSizes size = BenchSizes.named(a.string("--size", "small"));
    int windows = a.integer("--windows", 20_000);
    int shards = a.integer("--shards", 8);
    int batches = a.integer("--batches", 20_000);
    int threads = a.integer("--threads", PyTorchRuntime.defaultThreads());
    Path temp = Files.createTempDirectory("midas-loader-bench");
    String root = a.string("--root", temp.toUri().toString());
    String endpoint = a.string("--endpoint", null);
    StoreOptions options =
        endpoint == null
            ? StoreOptions.DEFAULTS
            : new StoreOptions(Optional.of(URI.create(endpoint)), "us-east-1", true);
    try (ObjectStore store = ObjectStores.open(root, options)) {
      measure(store, size, windows, shards, batches, threads);
    } finally {
      try (Stream<Path> files = Files.walk(temp)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /**
   * Writes the shards to {@code store}, times opening and prefetching them and the trainer, and
   * prints the {@code RESULT} line, labelled with the store's scheme.
   */
  public static void measure(
      ObjectStore store, BenchSizes size, int windows, int shards, int batches, int threads)
      throws IOException, InterruptedException {
    int seq = size.model().getSeqLen();
    int vocab = size.model().getVocabSize();
    String key = writeShards(store, windows, shards, seq, vocab);
    long t0 = System.nanoTime();
    InMemoryTokenDataset train = ShardedTokenDataset.open(store, key, "train");
    double openSeconds = (System.nanoTime() - t0) / 1e9;
    double openTokens = (double) train.sequences() * seq / openSeconds;

    DataOrder order = new DataOrder(train.sequences(), size.batchSize(), 1);
    long delivered = 0;
    long t1 = System.nanoTime();
    try (BatchPrefetcher prefetch = new BatchPrefetcher(train, order, 0, 0, 4)) {
      for (int i = 0; i < batches; i++) {
        Batch b = prefetch.next();
        delivered += (long) b.batchSize() * (b.window() - 1);
      }
    }
    double prefetchTokens = delivered / ((System.nanoTime() - t1) / 1e9);

    TrainBench.Timings t = TrainBench.run(size, 2, 5, threads, Precision.FP32, null);
    double trainerTokens = size.tokensPerStep() / TrainBench.median(t.wall());
    System.out.printf(
        "# %s, %d windows in %d shards at %s%n", size, train.sequences(), shards, store.root());
    System.out.printf(
        "RESULT loader store=%s size=%s open_tokens_per_s=%.0f prefetch_tokens_per_s=%.0f"
            + " trainer_tokens_per_s=%.0f open_ratio=%.1f prefetch_ratio=%.1f%n",
        store.root().getScheme(),
        size.name(),
        openTokens,
        prefetchTokens,
        trainerTokens,
        openTokens / trainerTokens,
        prefetchTokens / trainerTokens);
  }

  /** Seeded random windows split over {@code shards} train shards and one validation shard. */
  static String writeShards(ObjectStore store, int windows, int shards, int seq, int vocab)
      throws IOException {
    Random r = new Random(11);
    Map<String, byte[]> files = new LinkedHashMap<>();
    int perShard = windows / shards;
    for (int s = 0; s < shards; s++) {
      files.put(
          String.format("train-%05d-of-%05d.tfrecord", s, shards), shard(r, perShard, seq, vocab));
    }
    files.put("validation-00000-of-00001.tfrecord", shard(r, 64, seq, vocab));
    return TokenShardWriter.write(
        store,
        "data/bench/v1/",
        "bench",
        seq,
        vocab,
        files,
        Map.of("train", (long) perShard * shards, "validation", 64L));
  }

  private static byte[] shard(Random r, int windows, int seq, int vocab) {
    List<int[]> w = new ArrayList<>(windows);
    for (int i = 0; i < windows; i++) {
      w.add(r.ints(seq + 1, 0, vocab).toArray());
    }
    return TokenShardWriter.shard(w);
  }
}
