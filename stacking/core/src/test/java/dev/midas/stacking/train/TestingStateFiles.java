package dev.midas.stacking.train;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.Tensor;
import dev.midas.checkpoint.TrainState;
import dev.midas.proto.ModelConfig;
import dev.midas.proto.TrainPosition;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A whole TrainState in one local file, written to a temporary name and renamed, so a reader never
 * sees half a file. Stands in for the checkpoint store in the crash test.
 */
final class TestingStateFiles {
  private TestingStateFiles() {}

  static void write(TrainState s, Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
      bytes(out, s.model().toByteArray());
      bytes(out, s.position().toByteArray());
      tensors(out, s.params());
      tensors(out, s.adamM());
      tensors(out, s.adamV());
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }

  static TrainState read(Path file) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      ModelConfig model = ModelConfig.parseFrom(bytes(in));
      TrainPosition pos = TrainPosition.parseFrom(bytes(in));
      return new TrainState(model, tensors(in), tensors(in), tensors(in), pos);
    }
  }

  private static void bytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] bytes(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }

  private static void tensors(DataOutputStream out, NamedTensors t) throws IOException {
    out.writeInt(t.size());
    for (String name : t.names()) {
      Tensor x = t.get(name);
      out.writeUTF(name);
      out.writeInt(x.shape().length);
      for (long d : x.shape()) {
        out.writeLong(d);
      }
      for (float f : x.data()) {
        out.writeInt(Float.floatToRawIntBits(f));
      }
    }
  }

  private static NamedTensors tensors(DataInputStream in) throws IOException {
    NamedTensors t = new NamedTensors();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      long[] shape = new long[in.readInt()];
      for (int k = 0; k < shape.length; k++) {
        shape[k] = in.readLong();
      }
      Tensor x = Tensor.zeros(shape);
      for (int k = 0; k < x.size(); k++) {
        x.data()[k] = Float.intBitsToFloat(in.readInt());
      }
      t.put(name, x);
    }
    return t;
  }
}
