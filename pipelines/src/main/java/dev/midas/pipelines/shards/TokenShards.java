package dev.midas.pipelines.shards;

import com.google.protobuf.util.JsonFormat;
import dev.midas.pipelines.dataset.Sha256;
import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import dev.midas.proto.TokenSequence;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a committed token dataset from a local folder: the MANIFEST, then a split's shards in
 * order, each verified against the manifest's size and SHA-256 while it is read. Beam-free; the
 * small adapter between these shards and a trainer.
 */
public final class TokenShards {
  private final Path dir;
  private final DatasetManifest manifest;

  private TokenShards(Path dir, DatasetManifest manifest) {
    this.dir = dir;
    this.manifest = manifest;
  }

  /** Opens {@code dir/MANIFEST}; a folder without one is not a dataset. */
  public static TokenShards open(Path dir) throws IOException {
    Path file = dir.resolve("MANIFEST");
    if (!Files.exists(file)) {
      throw new IOException(dir + " has no MANIFEST: not a committed dataset");
    }
    DatasetManifest.Builder b = DatasetManifest.newBuilder();
    JsonFormat.parser()
        .ignoringUnknownFields()
        .merge(Files.readString(file, StandardCharsets.UTF_8), b);
    return new TokenShards(dir, b.build());
  }

  public DatasetManifest manifest() {
    return manifest;
  }

  /**
   * The shard files of {@code split} ({@code train}, {@code validation}) in shard order: those
   * whose file name (the path's last part; a run writes into a folder of its own) starts with it.
   */
  public List<FileEntry> shards(String split) {
    List<FileEntry> out = new ArrayList<>();
    for (FileEntry f : manifest.getFilesList()) {
      String name = f.getPath().substring(f.getPath().lastIndexOf('/') + 1);
      if (name.startsWith(split + "-") && name.endsWith(".tfrecord")) {
        out.add(f);
      }
    }
    return out;
  }

  /** Streams every sequence of {@code split}; fails if a shard's bytes differ from the manifest. */
  public void forEach(String split, Consumer<int[]> sequences) throws IOException {
    for (FileEntry shard : shards(split)) {
      MessageDigest digest = Sha256.newDigest();
      long records = 0;
      try (InputStream raw = Files.newInputStream(dir.resolve(shard.getPath()));
          DigestInputStream hashed = new DigestInputStream(new BufferedInputStream(raw), digest);
          TfRecordReader reader = new TfRecordReader(hashed)) {
        for (byte[] r = reader.next(); r != null; r = reader.next()) {
          TokenSequence seq = TokenSequence.parseFrom(r);
          int[] ids = new int[seq.getTokensCount()];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = seq.getTokens(i);
          }
          sequences.accept(ids);
          records++;
        }
        String actual = Sha256.hex(digest);
        if (!actual.equals(shard.getSha256())) {
          throw new IOException(
              shard.getPath() + " has SHA-256 " + actual + ", manifest says " + shard.getSha256());
        }
      }
    }
  }
}
