package dev.midas.pipelines.dataset;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.midas.proto.DatasetManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/** Dataset manifests as proto3 JSON, the platform's MANIFEST format. */
public final class ManifestJson {
  private ManifestJson() {}

  public static String print(DatasetManifest manifest) {
    try {
      return JsonFormat.printer().print(manifest);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a DatasetManifest always prints", e);
    }
  }

  public static DatasetManifest parse(String json) throws InvalidProtocolBufferException {
    DatasetManifest.Builder b = DatasetManifest.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(json, b);
    return b.build();
  }

  /** Reads the MANIFEST at {@code file} (local path, file:// or s3://). */
  public static DatasetManifest read(ResourceId file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
