package dev.midas.pipelines.sorting;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillingSorterTest {
  @TempDir Path tmp;

  private static List<String> sortAll(SpillingSorter sorter, List<byte[][]> records)
      throws Exception {
    for (byte[][] r : records) {
      sorter.add(r[0], r[1]);
    }
    List<String> out = new ArrayList<>();
    for (Iterator<SpillingSorter.Entry> it = sorter.sorted(); it.hasNext(); ) {
      SpillingSorter.Entry e = it.next();
      out.add(Arrays.toString(e.key()) + Arrays.toString(e.value()));
    }
    return out;
  }

  @Test
  void spillingAndMergingGivesTheSameOrderAsSortingInMemoryWhateverTheInputOrder()
      throws Exception {
    Random random = new Random(5);
    List<byte[][]> records = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      long key = random.nextInt(500) - 250; // repeats: equal keys are ordered by value
      records.add(
          new byte[][] {
            ByteBuffer.allocate(8).putLong(key).array(), new byte[] {(byte) random.nextInt(256)}
          });
    }
    List<String> inMemory;
    try (SpillingSorter sorter = new SpillingSorter(1L << 30, tmp)) {
      inMemory = sortAll(sorter, records);
      assertThat(sorter.runs()).isZero();
    }
    List<byte[][]> reversed = new ArrayList<>(records);
    java.util.Collections.reverse(reversed);
    try (SpillingSorter sorter = new SpillingSorter(4096, tmp)) {
      assertThat(sortAll(sorter, reversed)).isEqualTo(inMemory);
      assertThat(sorter.runs()).isGreaterThan(10);
    }
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).isEmpty(); // run files are deleted on close
    }
  }

  @Test
  void keysCompareAsUnsignedBytes() throws Exception {
    try (SpillingSorter sorter = new SpillingSorter(1 << 20, tmp)) {
      sorter.add(new byte[] {(byte) 0x80}, new byte[0]);
      sorter.add(new byte[] {0x7f}, new byte[0]);
      sorter.add(new byte[] {0x7f, 0}, new byte[0]);
      List<Integer> firsts = new ArrayList<>();
      List<Integer> lengths = new ArrayList<>();
      sorter
          .sorted()
          .forEachRemaining(
              e -> {
                firsts.add(e.key()[0] & 0xff);
                lengths.add(e.key().length);
              });
      assertThat(firsts).containsExactly(0x7f, 0x7f, 0x80);
      assertThat(lengths).containsExactly(1, 2, 1);
    }
  }
}
