package dev.midas.store.artifact;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.FileEntry;
import dev.midas.store.Keys;
import dev.midas.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;

/**
 * Reads committed artifacts and refuses any that is not whole: a missing or unparsable MANIFEST, or
 * a listed file that is missing, has the wrong size, or fails its SHA-256, each a {@link
 * CorruptArtifactException} naming the artifact and the file.
 */
public final class ManifestReader {
  private final ObjectStore store;

  public ManifestReader(ObjectStore store) {
    this.store = store;
  }

  /** Parses a MANIFEST without checking its files (cheap: for listings and lineage). */
  @SuppressWarnings("unchecked")
  public <T extends Message> T read(String manifestKey, T prototype) throws IOException {
    String uri = store.uri(manifestKey).toString();
    byte[] bytes;
    try {
      bytes = store.get(manifestKey);
    } catch (NoSuchFileException e) {
      throw new CorruptArtifactException(
          uri,
          "",
          "does not exist: the artifact was never committed (files without a MANIFEST are an"
              + " interrupted write)");
    }
    Message.Builder b = prototype.newBuilderForType();
    try {
      JsonFormat.parser()
          .ignoringUnknownFields()
          .merge(new String(bytes, StandardCharsets.UTF_8), b);
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptArtifactException(uri, "", "does not parse: " + e.getMessage());
    }
    return (T) b.build();
  }

  /** Parses a MANIFEST and checks the size and SHA-256 of every file it lists. */
  public <T extends Message> T readVerified(String manifestKey, T prototype) throws IOException {
    T manifest = read(manifestKey, prototype);
    for (FileEntry f : files(manifest)) {
      try (InputStream in = openVerified(manifestKey, f)) {
        ((VerifyingInputStream) in).readToEnd();
      }
    }
    return manifest;
  }

  /**
   * Opens one listed file; the stream fails with {@link CorruptArtifactException} at its end unless
   * size and SHA-256 match. A size mismatch fails here, before any byte is read.
   */
  public InputStream openVerified(String manifestKey, FileEntry file) throws IOException {
    String uri = store.uri(manifestKey).toString();
    String key = RunLayout.folderOf(manifestKey) + checkedPath(uri, file.getPath());
    Optional<Long> size = store.size(key);
    if (size.isEmpty()) {
      throw new CorruptArtifactException(uri, file.getPath(), "is listed but missing");
    }
    if (size.get() != file.getSize()) {
      throw new CorruptArtifactException(
          uri,
          file.getPath(),
          (size.get() < file.getSize() ? "is truncated: " : "has the wrong size: ")
              + size.get()
              + " bytes, its MANIFEST lists "
              + file.getSize());
    }
    return new VerifyingInputStream(
        store.open(key), uri, file.getPath(), file.getSize(), file.getSha256());
  }

  /** Reads a listed file to its end through verification. */
  public static void drain(InputStream verified) throws IOException {
    ((VerifyingInputStream) verified).readToEnd();
  }

  @SuppressWarnings("unchecked")
  private static List<FileEntry> files(Message manifest) {
    FieldDescriptor field = manifest.getDescriptorForType().findFieldByName("files");
    return field == null ? List.of() : (List<FileEntry>) manifest.getField(field);
  }

  private static String checkedPath(String uri, String path) throws CorruptArtifactException {
    try {
      return Keys.check(path);
    } catch (IllegalArgumentException e) {
      throw new CorruptArtifactException(uri, path, "is not a path inside the artifact");
    }
  }
}
