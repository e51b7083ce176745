package dev.midas.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code file://} store, the embedded default. Every write goes to a temporary file under
 * {@code <root>/.tmp/} first and then appears whole under its key: by an atomic rename for {@link
 * #put}, and by a hard link (which fails if the key exists) for {@link #putIfAbsent}, so a reader
 * never sees half an object and a create-only write never replaces one.
 */
public final class FileObjectStore implements ObjectStore {
  private static final String TMP = ".tmp";
  private final Path root;
  private final URI rootUri;

  public FileObjectStore(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    Files.createDirectories(this.root.resolve(TMP));
    String u = this.root.toUri().toString();
    this.rootUri = URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
  }

  @Override
  public URI root() {
    return rootUri;
  }

  /** The local file of a key. */
  public Path path(String key) {
    if (Keys.check(key).equals(TMP) || key.startsWith(TMP + "/")) {
      throw new IllegalArgumentException(
          "object key '" + key + "' is reserved for temporary files");
    }
    return root.resolve(key);
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    Path target = path(key);
    Path tmp = temp();
    try {
      Files.write(tmp, bytes);
      moveInto(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes the bytes once, into this store's temporary folder, then moves them into place. */
  @Override
  public void put(String key, Body body) throws IOException {
    Path target = path(key);
    Path tmp = temp();
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
        body.writeTo(out);
      }
      moveInto(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void put(String key, Path file) throws IOException {
    Path target = path(key);
    Path tmp = temp();
    try {
      Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
      moveInto(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
    Path target = path(key);
    Path tmp = temp();
    try {
      Files.write(tmp, bytes);
      Files.createDirectories(target.getParent());
      Files.createLink(target, tmp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public byte[] get(String key) throws IOException {
    try {
      return Files.readAllBytes(path(key));
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(uri(key).toString());
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    try {
      return Files.newInputStream(path(key));
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(uri(key).toString());
    }
  }

  @Override
  public Optional<Long> size(String key) throws IOException {
    Path p = path(key);
    return Files.isRegularFile(p) ? Optional.of(Files.size(p)) : Optional.empty();
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    Keys.checkPrefix(prefix);
    int slash = prefix.lastIndexOf('/');
    Path dir = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(k -> k.startsWith(prefix) && !k.startsWith(TMP + "/"))
          .sorted()
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void delete(String key) throws IOException {
    Path p = path(key);
    Files.deleteIfExists(p);
    // Empty folders left behind would look like half-written artifacts to a person browsing.
    for (Path dir = p.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          break;
        }
      } catch (NoSuchFileException e) {
        continue;
      }
      try {
        Files.deleteIfExists(dir);
      } catch (java.nio.file.DirectoryNotEmptyException e) {
        break;
      }
    }
  }

  private Path temp() throws IOException {
    return Files.createTempFile(root.resolve(TMP), "put-", ".tmp");
  }

  private static void moveInto(Path tmp, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
