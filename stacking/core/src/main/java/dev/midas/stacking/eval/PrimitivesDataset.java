package dev.midas.stacking.eval;

import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import dev.midas.proto.ReasoningExample;
import dev.midas.stacking.data.DatasetException;
import dev.midas.stacking.data.TfRecordReader;
import dev.midas.store.ObjectStore;
import dev.midas.store.artifact.ManifestReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reasoning primitives written by the pipelines' GeneratePrimitives: TFRecord shards of {@link
 * ReasoningExample} listed in a {@link DatasetManifest} of kind {@code primitives}. Every shard is
 * checked against the manifest's size and SHA-256 while it is read.
 */
public final class PrimitivesDataset {
  public static final String FORMAT = "tfrecord/ReasoningExample";
  public static final String FEWSHOT = "fewshot";
  public static final String EVAL = "eval";
  public static final String FINETUNE = "finetune";

  private PrimitivesDataset() {}

  /** Every example, by split ({@code fewshot}, {@code eval}, {@code finetune}), in id order. */
  public static Map<String, List<ReasoningExample>> load(ObjectStore store, String manifestKey)
      throws IOException {
    ManifestReader reader = new ManifestReader(store);
    DatasetManifest m = reader.read(manifestKey, DatasetManifest.getDefaultInstance());
    if (!FORMAT.equals(m.getFormat())) {
      throw new DatasetException(
          store.uri(manifestKey) + " has format '" + m.getFormat() + "', expected " + FORMAT);
    }
    Map<String, List<ReasoningExample>> bySplit = new TreeMap<>();
    List<FileEntry> shards =
        m.getFilesList().stream()
            .filter(f -> f.getPath().endsWith(".tfrecord"))
            .sorted(Comparator.comparing(FileEntry::getPath))
            .toList();
    for (FileEntry f : shards) {
      try (InputStream in = reader.openVerified(manifestKey, f)) {
        TfRecordReader records = new TfRecordReader(in, store.uri(manifestKey) + " " + f.getPath());
        for (byte[] r = records.next(); r != null; r = records.next()) {
          ReasoningExample e = ReasoningExample.parseFrom(r);
          bySplit.computeIfAbsent(e.getSplit(), k -> new ArrayList<>()).add(e);
        }
        ManifestReader.drain(in);
      }
    }
    if (bySplit.isEmpty()) {
      throw new DatasetException(store.uri(manifestKey) + " holds no reasoning examples");
    }
    bySplit.values().forEach(l -> l.sort(Comparator.comparingLong(ReasoningExample::getId)));
    return bySplit;
  }
}
