package dev.midas.stacking.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.Tensor;
import dev.midas.stacking.model.PyTorchRuntime;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes named float32 tensors as a safetensors file (8-byte little-endian header length, a JSON
 * header of dtype, shape and data offsets per name, then the raw little-endian data) with DJL's
 * encoder, {@link NDList#encode(OutputStream, NDList.Encoding)}, its header padded to 8 bytes.
 */
final class SafetensorsFile {
  /** DJL's encoder keeps data offsets in Java ints. */
  static final long MAX_BYTES = Integer.MAX_VALUE;

  private SafetensorsFile() {}

  static void write(NamedTensors tensors, OutputStream out) throws IOException {
    long bytes = 0;
    for (Tensor t : tensors.asMap().values()) {
      bytes += 4L * t.size();
    }
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          "the model's weights are "
              + bytes
              + " bytes; one model.safetensors written by DJL 0.32 holds at most "
              + MAX_BYTES
              + " bytes (its encoder keeps offsets in 32-bit ints)");
    }
    try (NDManager m = PyTorchRuntime.engine().newBaseManager()) {
      NDList list = new NDList();
      tensors
          .asMap()
          .forEach(
              (name, t) -> {
                NDArray a = m.create(t.data(), new Shape(t.shape()));
                a.setName(name);
                list.add(a);
              });
      AlignedHeaderStream aligned = new AlignedHeaderStream(out);
      list.encode(aligned, NDList.Encoding.SAFETENSORS);
      aligned.flush();
    }
  }
}
