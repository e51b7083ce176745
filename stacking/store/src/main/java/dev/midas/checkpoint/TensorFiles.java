package dev.midas.checkpoint;

import dev.midas.proto.TensorEntry;
import dev.midas.store.artifact.CorruptArtifactException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The checkpoint tensor file format: raw little-endian float32, tensors back to back in their named
 * order, no header. Names, shapes and byte ranges live in the manifest's {@link TensorEntry} list,
 * so the file is readable from any language ({@code numpy.fromfile(f, '<f4')}). Bit patterns are
 * kept exactly (NaN payloads included).
 */
final class TensorFiles {
  /** Floats per chunk: bounds the buffer, whatever the tensor size. */
  private static final int CHUNK = 1 << 20;

  private TensorFiles() {}

  /** Writes {@code tensors} to {@code out}; returns their entries, offsets and lengths in bytes. */
  static List<TensorEntry> write(NamedTensors tensors, String file, OutputStream out)
      throws IOException {
    List<TensorEntry> entries = new ArrayList<>();
    ByteBuffer buf = ByteBuffer.allocate(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
    long offset = 0;
    for (var e : tensors.asMap().entrySet()) {
      float[] data = e.getValue().data();
      for (int from = 0; from < data.length; from += CHUNK) {
        int n = Math.min(CHUNK, data.length - from);
        buf.clear();
        for (int i = 0; i < n; i++) {
          buf.putInt(Float.floatToRawIntBits(data[from + i]));
        }
        out.write(buf.array(), 0, n * 4);
      }
      long length = 4L * data.length;
      entries.add(
          TensorEntry.newBuilder()
              .setName(e.getKey())
              .addAllShape(Arrays.stream(e.getValue().shape()).boxed().toList())
              .setFile(file)
              .setOffset(offset)
              .setLength(length)
              .build());
      offset += length;
    }
    return entries;
  }

  /** Reads the tensors {@code entries} place in one file, in the manifest's order. */
  static NamedTensors read(InputStream in, List<TensorEntry> entries, String artifact)
      throws IOException {
    List<TensorEntry> byOffset =
        entries.stream().sorted(Comparator.comparingLong(TensorEntry::getOffset)).toList();
    java.util.Map<String, Tensor> loaded = new java.util.HashMap<>();
    byte[] bytes = new byte[CHUNK * 4];
    long position = 0;
    for (TensorEntry e : byOffset) {
      long[] shape = e.getShapeList().stream().mapToLong(Long::longValue).toArray();
      long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      if (e.getLength() != 4 * count || e.getOffset() < position || count > Integer.MAX_VALUE) {
        throw new CorruptArtifactException(
            artifact,
            e.getFile(),
            "lists tensor "
                + e.getName()
                + " with shape "
                + Arrays.toString(shape)
                + " at bytes "
                + e.getOffset()
                + "+"
                + e.getLength()
                + ", which does not fit");
      }
      position += in.skip(e.getOffset() - position);
      float[] data = new float[(int) count];
      for (int from = 0; from < data.length; from += CHUNK) {
        int n = Math.min(CHUNK, data.length - from);
        int got = in.readNBytes(bytes, 0, n * 4);
        if (got != n * 4) {
          throw new CorruptArtifactException(
              artifact, e.getFile(), "ends inside tensor " + e.getName());
        }
        ByteBuffer.wrap(bytes, 0, got)
            .order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer()
            .get(data, from, n);
      }
      position += e.getLength();
      loaded.put(e.getName(), new Tensor(shape, data));
    }
    NamedTensors out = new NamedTensors();
    entries.forEach(e -> out.put(e.getName(), loaded.get(e.getName())));
    return out;
  }
}
