package dev.midas.pipelines.preprocess;

import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** One shard written to the run's temporary folder, with what its manifest entry needs. */
@DefaultCoder(SerializableCoder.class)
public record ShardFile(
    String split, int shard, int shards, String path, long size, String sha256, long sequences)
    implements Serializable {}
