package dev.midas.pipelines.preprocess;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.BigEndianLongCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * One training window of {@code seqLen + 1} tokens; {@code key} is its seeded random position in
 * the global shuffle (it picks the shard, and the order inside the shard).
 */
@DefaultCoder(PackedSequence.Coder.class)
public record PackedSequence(String split, long key, int[] tokens) {

  /** Split, key, ids. */
  public static final class Coder extends CustomCoder<PackedSequence> {
    private static final Coder INSTANCE = new Coder();

    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(PackedSequence.class), INSTANCE);
    }

    @Override
    public void encode(PackedSequence s, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(s.split(), out);
      BigEndianLongCoder.of().encode(s.key(), out);
      IntArrayCoder.of().encode(s.tokens(), out);
    }

    @Override
    public PackedSequence decode(InputStream in) throws IOException {
      return new PackedSequence(
          StringUtf8Coder.of().decode(in),
          BigEndianLongCoder.of().decode(in),
          IntArrayCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
