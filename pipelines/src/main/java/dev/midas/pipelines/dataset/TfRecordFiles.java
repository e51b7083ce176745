package dev.midas.pipelines.dataset;

import dev.midas.proto.FileEntry;
import java.io.IOException;
import org.apache.beam.sdk.io.TFRecordIO;
import org.apache.beam.sdk.io.fs.ResourceId;

/** Writes one whole TFRecord file (Beam's standard framing) and returns its manifest entry. */
public final class TfRecordFiles {
  private TfRecordFiles() {}

  public static FileEntry write(ResourceId dir, String name, Iterable<byte[]> records)
      throws IOException {
    FileWriter file = FileWriter.create(dir, name);
    try (file) {
      TFRecordIO.Sink sink = TFRecordIO.sink();
      sink.open(file);
      for (byte[] record : records) {
        sink.write(record);
      }
      sink.flush();
    }
    return file.entry();
  }
}
