package dev.midas.pipelines.preprocess;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.apache.beam.sdk.coders.AtomicCoder;

/** Token ids as a length and 4 bytes an id: cheap to encode, which shuffles are made of. */
public final class IntArrayCoder extends AtomicCoder<int[]> {
  private static final IntArrayCoder INSTANCE = new IntArrayCoder();

  public static IntArrayCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(int[] value, OutputStream out) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4 + 4 * value.length);
    buf.putInt(value.length);
    buf.asIntBuffer().put(value);
    out.write(buf.array());
  }

  @Override
  public int[] decode(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int n = data.readInt();
    byte[] bytes = new byte[4 * n];
    data.readFully(bytes);
    int[] out = new int[n];
    ByteBuffer.wrap(bytes).asIntBuffer().get(out);
    return out;
  }

  @Override
  public void verifyDeterministic() {}
}
