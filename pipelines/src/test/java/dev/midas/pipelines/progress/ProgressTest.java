package dev.midas.pipelines.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void countsDocumentsAndTokensFromManyThreadsAndStartsAgainOnReset() throws Exception {
    Progress p = new Progress("test", 0);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 1000; i++) {
      pool.submit(() -> p.add(1, 7));
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.documents()).isEqualTo(1000);
    assertThat(p.tokens()).isEqualTo(7000);
    p.reset();
    p.add(2, 3);
    assertThat(p.documents()).isEqualTo(2);
    assertThat(p.tokens()).isEqualTo(3);
  }
}
