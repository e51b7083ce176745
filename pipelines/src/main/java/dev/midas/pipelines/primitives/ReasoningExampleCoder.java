package dev.midas.pipelines.primitives;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.midas.proto.ReasoningExample;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * A {@code ReasoningExample} as its protobuf bytes. Beam's own ProtoCoder lives in an extension
 * that drags in Google Cloud Storage and a schema registry; this is all the pipelines need.
 */
public final class ReasoningExampleCoder extends CustomCoder<ReasoningExample> {
  private static final ReasoningExampleCoder INSTANCE = new ReasoningExampleCoder();

  public static ReasoningExampleCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ReasoningExample value, OutputStream out) throws IOException {
    ByteArrayCoder.of().encode(value.toByteArray(), out);
  }

  @Override
  public ReasoningExample decode(InputStream in) throws IOException {
    try {
      return ReasoningExample.parseFrom(ByteArrayCoder.of().decode(in));
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("corrupt ReasoningExample in a shuffle", e);
    }
  }

  @Override
  public void verifyDeterministic() {}
}
