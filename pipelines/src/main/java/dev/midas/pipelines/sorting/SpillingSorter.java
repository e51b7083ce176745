package dev.midas.pipelines.sorting;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Sorts {@code (key, value)} byte records by unsigned lexicographic key order in bounded memory:
 * records are buffered up to {@code memoryBytes}, then sorted and spilled to a run file on local
 * disk, and the runs are merged when read back. Records with equal keys are ordered by value, so
 * the output order never depends on the order records were added in.
 *
 * <p>This is the job Beam's sorter extension ({@code BufferedExternalSorter}) does; that artifact
 * is not on the registry these builds use, so the pipelines carry this small merge sort instead.
 * Close the sorter to delete its run files.
 */
public final class SpillingSorter implements AutoCloseable {
  /** One record. */
  public record Entry(byte[] key, byte[] value) {}

  private static final Comparator<Entry> ORDER =
      (a, b) -> {
        int byKey = Arrays.compareUnsigned(a.key, b.key);
        return byKey != 0 ? byKey : Arrays.compareUnsigned(a.value, b.value);
      };
  private static final int RECORD_OVERHEAD = 64; // object headers and references per buffered entry

  private final long memoryBytes;
  private final Path tempDir;
  private final List<Entry> buffer = new ArrayList<>();
  private final List<Path> runs = new ArrayList<>();
  private long buffered;
  private boolean sorted;

  public SpillingSorter(long memoryBytes, Path tempDir) {
    if (memoryBytes < 1) {
      throw new IllegalArgumentException("memoryBytes " + memoryBytes + " must be >= 1");
    }
    this.memoryBytes = memoryBytes;
    this.tempDir = tempDir;
  }

  /** A sorter spilling to the JVM's temporary folder. */
  public static SpillingSorter inTempDir(long memoryBytes) {
    return new SpillingSorter(memoryBytes, Path.of(System.getProperty("java.io.tmpdir")));
  }

  public void add(byte[] key, byte[] value) throws IOException {
    if (sorted) {
      throw new IllegalStateException("add after sort");
    }
    buffer.add(new Entry(key, value));
    buffered += key.length + value.length + RECORD_OVERHEAD;
    if (buffered >= memoryBytes) {
      spill();
    }
  }

  /** How many run files were written so far (0: everything fit in memory). */
  public int runs() {
    return runs.size();
  }

  /** Every record in key order; call once, after the last {@link #add}. */
  public Iterator<Entry> sorted() throws IOException {
    if (sorted) {
      throw new IllegalStateException("sorted() called twice");
    }
    sorted = true;
    buffer.sort(ORDER);
    if (runs.isEmpty()) {
      return buffer.iterator();
    }
    spill();
    return new Merge(runs);
  }

  @Override
  public void close() throws IOException {
    for (Path run : runs) {
      Files.deleteIfExists(run);
    }
    runs.clear();
    buffer.clear();
  }

  private void spill() throws IOException {
    buffer.sort(ORDER);
    Path run = Files.createTempFile(tempDir, "midas-sort-", ".run");
    runs.add(run);
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
      for (Entry e : buffer) {
        out.writeInt(e.key.length);
        out.write(e.key);
        out.writeInt(e.value.length);
        out.write(e.value);
      }
    }
    buffer.clear();
    buffered = 0;
  }

  /** K-way merge of the run files. */
  private static final class Merge implements Iterator<Entry> {
    private record Head(Entry entry, int run) {}

    private final List<DataInputStream> inputs = new ArrayList<>();
    private final PriorityQueue<Head> heads =
        new PriorityQueue<>(Comparator.comparing(Head::entry, ORDER).thenComparingInt(Head::run));

    Merge(List<Path> runs) throws IOException {
      for (int i = 0; i < runs.size(); i++) {
        inputs.add(
            new DataInputStream(
                new BufferedInputStream(Files.newInputStream(runs.get(i)), 1 << 16)));
        advance(i);
      }
    }

    @Override
    public boolean hasNext() {
      return !heads.isEmpty();
    }

    @Override
    public Entry next() {
      Head head = heads.poll();
      if (head == null) {
        throw new NoSuchElementException();
      }
      try {
        advance(head.run);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return head.entry;
    }

    private void advance(int run) throws IOException {
      DataInputStream in = inputs.get(run);
      int keyLength;
      try {
        keyLength = in.readInt();
      } catch (EOFException end) {
        in.close();
        return;
      }
      byte[] key = in.readNBytes(keyLength);
      byte[] value = in.readNBytes(in.readInt());
      heads.add(new Head(new Entry(key, value), run));
    }
  }
}
