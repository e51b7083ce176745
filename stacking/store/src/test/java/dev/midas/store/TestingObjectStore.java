package dev.midas.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * An in-memory {@link ObjectStore} for tests, rooted at {@code mem://testing}: logs every operation
 * in order (to check, say, that a MANIFEST is written last), injects failures by operation and key,
 * and can truncate or corrupt an object in place.
 */
public final class TestingObjectStore implements ObjectStore {
  /** Operations a fault can target. */
  public enum Op {
    PUT,
    PUT_IF_ABSENT,
    GET,
    OPEN,
    SIZE,
    LIST,
    DELETE
  }

  private record Fault(Op op, Predicate<String> keys, IOException error, boolean once) {}

  private final TreeMap<String, byte[]> objects = new TreeMap<>();
  private final List<String> log = new ArrayList<>();
  private final List<Fault> faults = new ArrayList<>();

  @Override
  public URI root() {
    return URI.create("mem://testing");
  }

  /** The next {@code op} on a key containing {@code keyPart} throws {@code error}, once. */
  public synchronized TestingObjectStore failOnce(Op op, String keyPart, IOException error) {
    faults.add(new Fault(op, k -> k.contains(keyPart), error, true));
    return this;
  }

  /** Every {@code op} on a key containing {@code keyPart} throws {@code error}. */
  public synchronized TestingObjectStore failAlways(Op op, String keyPart, IOException error) {
    faults.add(new Fault(op, k -> k.contains(keyPart), error, false));
    return this;
  }

  public synchronized void clearFaults() {
    faults.clear();
  }

  /** Every operation so far, as "OP key", in order. */
  public synchronized List<String> log() {
    return List.copyOf(log);
  }

  public synchronized Map<String, byte[]> objects() {
    return Map.copyOf(objects);
  }

  /** Cuts an object down to its first {@code length} bytes. */
  public synchronized void truncate(String key, int length) {
    objects.put(key, java.util.Arrays.copyOf(objects.get(key), length));
  }

  /** Flips every bit of byte {@code index} of an object. */
  public synchronized void corrupt(String key, int index) {
    objects.get(key)[index] ^= (byte) 0xff;
  }

  @Override
  public synchronized void put(String key, byte[] bytes) throws IOException {
    enter(Op.PUT, key);
    objects.put(key, bytes.clone());
  }

  @Override
  public void put(String key, Path file) throws IOException {
    put(key, Files.readAllBytes(file));
  }

  @Override
  public synchronized boolean putIfAbsent(String key, byte[] bytes) throws IOException {
    enter(Op.PUT_IF_ABSENT, key);
    return objects.putIfAbsent(key, bytes.clone()) == null;
  }

  @Override
  public synchronized byte[] get(String key) throws IOException {
    enter(Op.GET, key);
    byte[] b = objects.get(key);
    if (b == null) {
      throw new NoSuchFileException(uri(key).toString());
    }
    return b.clone();
  }

  @Override
  public synchronized InputStream open(String key) throws IOException {
    enter(Op.OPEN, key);
    byte[] b = objects.get(key);
    if (b == null) {
      throw new NoSuchFileException(uri(key).toString());
    }
    return new ByteArrayInputStream(b.clone());
  }

  @Override
  public synchronized Optional<Long> size(String key) throws IOException {
    enter(Op.SIZE, key);
    return Optional.ofNullable(objects.get(key)).map(b -> (long) b.length);
  }

  @Override
  public synchronized List<String> list(String prefix) throws IOException {
    enter(Op.LIST, prefix);
    return objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
  }

  @Override
  public synchronized void delete(String key) throws IOException {
    enter(Op.DELETE, key);
    objects.remove(key);
  }

  private void enter(Op op, String key) throws IOException {
    if (op != Op.LIST) {
      Keys.check(key);
    }
    log.add(op + " " + key);
    for (Fault f : faults) {
      if (f.op() == op && f.keys().test(key)) {
        if (f.once()) {
          faults.remove(f);
        }
        throw f.error();
      }
    }
  }
}
