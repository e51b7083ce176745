package dev.midas.store.artifact;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.FileEntry;
import dev.midas.store.ObjectStore;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one artifact (checkpoint or dataset) with a manifest-last commit: every file is uploaded
 * and its size and SHA-256 recorded, then {@link #commit} writes the {@code MANIFEST} (proto3 JSON)
 * create-only. Until that last write the artifact does not exist for any reader; a crash leaves
 * only files that the next attempt overwrites.
 */
public final class ArtifactWriter {
  /** Writes a file's bytes to a stream. */
  @FunctionalInterface
  public interface Body extends ObjectStore.Body {}

  private final ObjectStore store;
  private final String folder;
  private final List<FileEntry> files = new ArrayList<>();

  /**
   * Starts an artifact in {@code folder} (a key prefix ending in '/').
   *
   * @throws ArtifactExistsException when it is already committed: its files must not change
   */
  public ArtifactWriter(ObjectStore store, String folder) throws IOException {
    if (!folder.endsWith("/")) {
      throw new IllegalArgumentException("artifact folder '" + folder + "' must end with '/'");
    }
    this.store = store;
    this.folder = folder;
    if (store.exists(manifestKey())) {
      throw new ArtifactExistsException(store.uri(manifestKey()).toString());
    }
  }

  public String manifestKey() {
    return RunLayout.manifestKey(folder);
  }

  /** The URI the manifest gets from {@link #commit}. */
  public URI manifestUri() {
    return store.uri(manifestKey());
  }

  /** Uploads a small file held in memory. */
  public FileEntry write(String name, byte[] bytes) throws IOException {
    checkName(name);
    store.put(folder + name, bytes);
    return record(name, bytes.length, Sha256.hex(bytes));
  }

  /**
   * Streams a file of any size to the store, hashing and counting it on the way (a {@code file://}
   * store writes it once, in place; others through a local temporary file).
   */
  public FileEntry write(String name, Body body) throws IOException {
    checkName(name);
    MessageDigest digest = Sha256.digest();
    long[] size = {0};
    store.put(
        folder + name,
        out -> {
          OutputStream counting =
              new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                  out.write(b, off, len);
                  size[0] += len;
                }

                @Override
                public void write(int b) throws IOException {
                  out.write(b);
                  size[0]++;
                }
              };
          DigestOutputStream hashed = new DigestOutputStream(counting, digest);
          body.writeTo(hashed);
          hashed.flush();
        });
    return record(name, size[0], Sha256.hex(digest));
  }

  /** Files written so far, in order. */
  public List<FileEntry> files() {
    return List.copyOf(files);
  }

  /**
   * Sets the manifest's {@code files} to what was written and writes it, create-only, as the
   * artifact's last object.
   *
   * @return the MANIFEST's URI: the artifact's name from now on
   * @throws ArtifactExistsException if another writer committed first
   */
  public URI commit(Message.Builder manifest) throws IOException {
    FieldDescriptor field = manifest.getDescriptorForType().findFieldByName("files");
    if (field == null || !field.isRepeated()) {
      throw new IllegalArgumentException(
          manifest.getDescriptorForType().getName() + " has no repeated 'files' field");
    }
    manifest.clearField(field);
    files.forEach(f -> manifest.addRepeatedField(field, f));
    byte[] json = toJson(manifest.build()).getBytes(StandardCharsets.UTF_8);
    if (!store.putIfAbsent(manifestKey(), json)) {
      throw new ArtifactExistsException(store.uri(manifestKey()).toString());
    }
    return store.uri(manifestKey());
  }

  static String toJson(Message m) {
    try {
      return JsonFormat.printer().print(m) + "\n";
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + m.getDescriptorForType().getName(), e);
    }
  }

  private FileEntry record(String name, long size, String sha256) {
    FileEntry e = FileEntry.newBuilder().setPath(name).setSize(size).setSha256(sha256).build();
    files.removeIf(f -> f.getPath().equals(name));
    files.add(e);
    return e;
  }

  private static void checkName(String name) {
    if (name.equals(RunLayout.MANIFEST)) {
      throw new IllegalArgumentException("MANIFEST is written by commit(), not as a file");
    }
    dev.midas.store.Keys.check(name);
  }
}
