package dev.midas.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FileObjectStoreTest extends ObjectStoreContract {

  @Override
  protected ObjectStore store() throws Exception {
    return new FileObjectStore(Files.createTempDirectory(tmp, "store"));
  }

  @Test
  void rootIsAFileUriAndOpensThroughObjectStores() throws Exception {
    Path dir = Files.createTempDirectory(tmp, "root");
    ObjectStore s = ObjectStores.open(dir.toUri(), StoreOptions.DEFAULTS);
    s.put("k", new byte[] {1});

    assertThat(s.root().toString()).startsWith("file:///").doesNotEndWith("/");
    assertThat(Files.readAllBytes(dir.resolve("k"))).containsExactly(1);
    assertThat(s.keyOf(java.net.URI.create("file:" + dir + "/k"))).isEqualTo("k");
  }

  @Test
  void temporaryFilesNeverShowInListings() throws Exception {
    ObjectStore s = store();
    s.put("a", new byte[] {1});

    assertThat(s.list("")).containsExactly("a");
  }

  @Test
  void deletingTheLastObjectOfAFolderRemovesTheEmptyFolders() throws Exception {
    Path dir = Files.createTempDirectory(tmp, "prune");
    FileObjectStore s = new FileObjectStore(dir);
    s.put("runs/e/u/x", new byte[] {1});
    s.put("runs/keep", new byte[] {1});

    s.delete("runs/e/u/x");

    assertThat(dir.resolve("runs/e")).doesNotExist();
    assertThat(dir.resolve("runs/keep")).exists();
  }

  @Test
  void concurrentCreateOnlyWritesHaveExactlyOneWinner() throws Exception {
    ObjectStore s = store();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        byte[] body = ("writer " + i).getBytes(StandardCharsets.UTF_8);
        results.add(pool.submit(() -> s.putIfAbsent("race/MANIFEST", body)));
      }
      int winners = 0;
      for (Future<Boolean> f : results) {
        winners += f.get() ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
      assertThat(new String(s.get("race/MANIFEST"), StandardCharsets.UTF_8)).startsWith("writer ");
    } finally {
      pool.shutdownNow();
    }
  }
}
