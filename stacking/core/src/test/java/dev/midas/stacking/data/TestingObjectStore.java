package dev.midas.stacking.data;

import dev.midas.store.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** An in-memory object store for data tests (the real ones live in the store module). */
public final class TestingObjectStore implements ObjectStore {
  private final TreeMap<String, byte[]> objects = new TreeMap<>();

  @Override
  public URI root() {
    return URI.create("mem://test");
  }

  @Override
  public void put(String key, byte[] bytes) {
    objects.put(key, bytes.clone());
  }

  @Override
  public void put(String key, Path file) throws IOException {
    put(key, Files.readAllBytes(file));
  }

  @Override
  public boolean putIfAbsent(String key, byte[] bytes) {
    return objects.putIfAbsent(key, bytes.clone()) == null;
  }

  @Override
  public byte[] get(String key) throws IOException {
    byte[] b = objects.get(key);
    if (b == null) {
      throw new NoSuchFileException(uri(key).toString());
    }
    return b.clone();
  }

  @Override
  public InputStream open(String key) throws IOException {
    return new ByteArrayInputStream(get(key));
  }

  @Override
  public Optional<Long> size(String key) {
    return Optional.ofNullable(objects.get(key)).map(b -> (long) b.length);
  }

  @Override
  public List<String> list(String prefix) {
    List<String> keys = new ArrayList<>();
    for (String k : objects.tailMap(prefix).keySet()) {
      if (!k.startsWith(prefix)) {
        break;
      }
      keys.add(k);
    }
    return keys;
  }

  @Override
  public void delete(String key) {
    objects.remove(key);
  }
}
