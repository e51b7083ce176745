package dev.midas.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link ObjectStore} must do; each implementation's test extends it. */
public abstract class ObjectStoreContract {
  @TempDir protected Path tmp;

  /** A fresh, empty store. */
  protected abstract ObjectStore store() throws Exception;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void putThenGetReturnsTheBytesAndPutOverwrites() throws Exception {
    ObjectStore s = store();
    s.put("a/b/c.txt", utf8("one"));
    s.put("a/b/c.txt", utf8("two!"));

    assertThat(s.get("a/b/c.txt")).isEqualTo(utf8("two!"));
    assertThat(s.size("a/b/c.txt")).hasValue(4L);
    try (InputStream in = s.open("a/b/c.txt")) {
      assertThat(in.readAllBytes()).isEqualTo(utf8("two!"));
    }
  }

  @Test
  void putIfAbsentWritesOnlyOnce() throws Exception {
    ObjectStore s = store();

    assertThat(s.putIfAbsent("x/MANIFEST", utf8("first"))).isTrue();
    assertThat(s.putIfAbsent("x/MANIFEST", utf8("second"))).isFalse();
    assertThat(s.get("x/MANIFEST")).isEqualTo(utf8("first"));
  }

  @Test
  void missingObjectIsNoSuchFileNamingItsUri() throws Exception {
    ObjectStore s = store();

    assertThat(s.size("no/such")).isEmpty();
    assertThat(s.exists("no/such")).isFalse();
    assertThatThrownBy(() -> s.get("no/such"))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(s.uri("no/such").toString());
  }

  @Test
  void listReturnsEveryKeyUnderAPrefixSorted() throws Exception {
    ObjectStore s = store();
    for (String k : new String[] {"r/s2/b", "r/s1/x/y", "r/s1/a", "r/s10", "q/z"}) {
      s.put(k, utf8(k));
    }

    assertThat(s.list("r/")).containsExactly("r/s1/a", "r/s1/x/y", "r/s10", "r/s2/b");
    assertThat(s.list("r/s1")).containsExactly("r/s1/a", "r/s1/x/y", "r/s10");
    assertThat(s.list("r/s1/")).containsExactly("r/s1/a", "r/s1/x/y");
    assertThat(s.list("nothing/")).isEmpty();
  }

  @Test
  void deleteRemovesAndToleratesAbsence() throws Exception {
    ObjectStore s = store();
    s.put("d/e/f", utf8("x"));

    s.delete("d/e/f");
    s.delete("d/e/f");

    assertThat(s.exists("d/e/f")).isFalse();
    assertThat(s.list("d/")).isEmpty();
  }

  @Test
  void uploadsALocalFile() throws Exception {
    ObjectStore s = store();
    byte[] data = new byte[300_000];
    new Random(5).nextBytes(data);
    Path f = Files.write(tmp.resolve("blob"), data);

    s.put("files/blob", f);

    assertThat(s.get("files/blob")).isEqualTo(data);
  }

  @Test
  void keyOfInvertsUri() throws Exception {
    ObjectStore s = store();

    assertThat(s.keyOf(s.uri("runs/e/u/spec"))).isEqualTo("runs/e/u/spec");
    assertThatThrownBy(() -> s.keyOf(java.net.URI.create("s3://elsewhere/x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keysThatCouldEscapeTheRootAreRefused() throws Exception {
    ObjectStore s = store();

    assertThatThrownBy(() -> s.put("../outside", utf8("x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.put("/abs", utf8("x"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.put("a//b", utf8("x"))).isInstanceOf(IllegalArgumentException.class);
  }
}
