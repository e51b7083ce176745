package dev.midas.stacking.data;

import com.google.protobuf.util.JsonFormat;
import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import dev.midas.proto.SplitStats;
import dev.midas.proto.TokenSequence;
import dev.midas.store.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Writes token datasets in the pipelines' format without Beam: TFRecord shards of {@link
 * TokenSequence} records, then the {@link DatasetManifest} (sizes, SHA-256, splits) last. For
 * tests, benchmarks and small local corpora; the pipelines write the same bytes at scale.
 */
public final class TokenShardWriter {
  private TokenShardWriter() {}

  /** One TFRecord: length, masked CRC32C of the length, data, masked CRC32C of the data. */
  public static byte[] frame(byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(16 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    byte[] len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
    b.put(len).putInt(TfRecordReader.maskedCrc(len, 8)).put(data);
    b.putInt(TfRecordReader.maskedCrc(data, data.length));
    return b.array();
  }

  /** A shard holding one record per window. */
  public static byte[] shard(List<int[]> windows) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int[] w : windows) {
      TokenSequence.Builder s = TokenSequence.newBuilder();
      for (int t : w) {
        s.addTokens(t);
      }
      out.writeBytes(frame(s.build().toByteArray()));
    }
    return out.toByteArray();
  }

  /**
   * Puts the shards (path relative to {@code folder} to bytes), then the manifest.
   *
   * @return the manifest's key
   */
  public static String write(
      ObjectStore store,
      String folder,
      String name,
      int seqLen,
      int vocab,
      Map<String, byte[]> shards,
      Map<String, Long> sequencesBySplit)
      throws IOException {
    DatasetManifest.Builder m =
        DatasetManifest.newBuilder()
            .setFormatVersion(1)
            .setKind("tokens")
            .setName(name)
            .setVersion("v1")
            .setFormat(ShardedTokenDataset.FORMAT)
            .setSeqLen(seqLen)
            .setVocabSize(vocab);
    for (Map.Entry<String, byte[]> e : shards.entrySet()) {
      store.put(folder + e.getKey(), e.getValue());
      m.addFiles(
          FileEntry.newBuilder()
              .setPath(e.getKey())
              .setSize(e.getValue().length)
              .setSha256(sha256(e.getValue())));
    }
    sequencesBySplit.forEach(
        (split, n) -> m.addSplits(SplitStats.newBuilder().setName(split).setSequences(n)));
    String key = folder + "MANIFEST";
    store.put(key, JsonFormat.printer().print(m).getBytes(StandardCharsets.UTF_8));
    return key;
  }

  public static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
