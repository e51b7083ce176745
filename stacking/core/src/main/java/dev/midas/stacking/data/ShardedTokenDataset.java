package dev.midas.stacking.data;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import dev.midas.proto.SplitStats;
import dev.midas.proto.TokenSequence;
import dev.midas.store.ObjectStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Loads one split of a tokenized dataset written by the pipelines: a {@link DatasetManifest}
 * (proto3 JSON, file {@code MANIFEST}) listing TFRecord shards of {@link TokenSequence}, each
 * record one window of seq_len + 1 ids. A shard belongs to split {@code s} when its path starts
 * with {@code s/} or its file name starts with {@code s-} (Beam's {@code prefix-NNNNN-of-MMMMM}).
 *
 * <p>Every shard's size and SHA-256 are checked against the manifest while it is read; windows of
 * the wrong length, bad checksums and short files are refused with the file's name. The windows are
 * then held in memory (4 bytes a token).
 */
public final class ShardedTokenDataset {
  public static final String FORMAT = "tfrecord/TokenSequence";

  private ShardedTokenDataset() {}

  /** The manifest at {@code manifestKey} (e.g. {@code data/brown/v1/MANIFEST}). */
  public static DatasetManifest manifest(ObjectStore store, String manifestKey) throws IOException {
    String json = new String(store.get(manifestKey), StandardCharsets.UTF_8);
    DatasetManifest.Builder b = DatasetManifest.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(json, b);
    } catch (InvalidProtocolBufferException e) {
      throw new DatasetException(store.uri(manifestKey) + " is not a DatasetManifest", e);
    }
    return b.build();
  }

  public static InMemoryTokenDataset open(ObjectStore store, String manifestKey, String split)
      throws IOException {
    DatasetManifest m = manifest(store, manifestKey);
    if (!FORMAT.equals(m.getFormat())) {
      throw new DatasetException(
          store.uri(manifestKey) + " has format '" + m.getFormat() + "', expected " + FORMAT);
    }
    if (m.getSeqLen() <= 0) {
      throw new DatasetException(store.uri(manifestKey) + " has no seq_len");
    }
    String folder =
        manifestKey.contains("/") ? manifestKey.substring(0, manifestKey.lastIndexOf('/') + 1) : "";
    List<FileEntry> shards = new ArrayList<>();
    for (FileEntry f : m.getFilesList()) {
      String name = f.getPath().substring(f.getPath().lastIndexOf('/') + 1);
      if (f.getPath().startsWith(split + "/") || name.startsWith(split + "-")) {
        shards.add(f);
      }
    }
    if (shards.isEmpty()) {
      throw new DatasetException(
          store.uri(manifestKey) + " lists no shard of split '" + split + "'");
    }
    shards.sort(Comparator.comparing(FileEntry::getPath));
    int window = m.getSeqLen() + 1;
    IntBuffer tokens = new IntBuffer();
    for (FileEntry f : shards) {
      readShard(store, folder + f.getPath(), f, window, m.getVocabSize(), tokens);
    }
    long expected =
        m.getSplitsList().stream()
            .filter(s -> s.getName().equals(split))
            .mapToLong(SplitStats::getSequences)
            .findFirst()
            .orElse(0);
    long got = tokens.size / window;
    if (expected > 0 && expected != got) {
      throw new DatasetException(
          "split '" + split + "' has " + got + " sequences, the manifest says " + expected);
    }
    return new InMemoryTokenDataset(window, tokens.toArray());
  }

  private static void readShard(
      ObjectStore store, String key, FileEntry entry, int window, int vocab, IntBuffer out)
      throws IOException {
    MessageDigest sha = sha256();
    long[] bytes = {0};
    try (InputStream raw = store.open(key);
        InputStream counted = new CountingStream(raw, bytes);
        DigestInputStream in = new DigestInputStream(counted, sha)) {
      TfRecordReader reader = new TfRecordReader(in, store.uri(key).toString());
      long record = 0;
      for (byte[] data = reader.next(); data != null; data = reader.next(), record++) {
        TokenSequence s = TokenSequence.parseFrom(data);
        if (s.getTokensCount() != window) {
          throw new DatasetException(
              store.uri(key)
                  + ": record "
                  + record
                  + " has "
                  + s.getTokensCount()
                  + " tokens, expected seq_len + 1 = "
                  + window);
        }
        for (int i = 0; i < window; i++) {
          int t = s.getTokens(i);
          if (t < 0 || (vocab > 0 && t >= vocab)) {
            throw new DatasetException(
                store.uri(key)
                    + ": record "
                    + record
                    + " has token "
                    + t
                    + " outside vocab_size "
                    + vocab);
          }
          out.add(t);
        }
      }
    }
    if (bytes[0] != entry.getSize()) {
      throw new DatasetException(
          store.uri(key) + " has " + bytes[0] + " bytes, the manifest says " + entry.getSize());
    }
    String hex = HexFormat.of().formatHex(sha.digest());
    if (!entry.getSha256().isEmpty() && !hex.equalsIgnoreCase(entry.getSha256())) {
      throw new DatasetException(store.uri(key) + " does not match its SHA-256 in the manifest");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Growable int array. */
  private static final class IntBuffer {
    int[] data = new int[1 << 16];
    long size;

    void add(int v) {
      if (size == data.length) {
        if (data.length >= Integer.MAX_VALUE / 2) {
          throw new DatasetException("split exceeds " + Integer.MAX_VALUE + " tokens in memory");
        }
        data = Arrays.copyOf(data, data.length * 2);
      }
      data[(int) size++] = v;
    }

    int[] toArray() {
      return Arrays.copyOf(data, (int) size);
    }
  }

  /** Counts bytes read (the manifest's size check). */
  private static final class CountingStream extends FilterInputStream {
    private final long[] count;

    CountingStream(InputStream in, long[] count) {
      super(in);
      this.count = count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count[0]++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count[0] += n;
      }
      return n;
    }
  }
}
