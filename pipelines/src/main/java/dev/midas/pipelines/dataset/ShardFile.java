package dev.midas.pipelines.dataset;

import dev.midas.proto.FileEntry;
import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** One shard written to a run's temporary folder, with what its manifest entry needs. */
@DefaultCoder(SerializableCoder.class)
public record ShardFile(
    String split, int shard, int shards, String path, long size, String sha256, long sequences)
    implements Serializable {

  /** Its entry in the manifest's file list. */
  public FileEntry entry() {
    return FileEntry.newBuilder().setPath(path).setSize(size).setSha256(sha256).build();
  }
}
