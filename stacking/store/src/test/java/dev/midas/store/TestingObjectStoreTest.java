package dev.midas.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class TestingObjectStoreTest extends ObjectStoreContract {

  @Override
  protected ObjectStore store() {
    return new TestingObjectStore();
  }

  @Test
  void injectedFailureHitsOnlyMatchingKeysAndOnlyOnce() throws Exception {
    TestingObjectStore s = new TestingObjectStore();
    s.failOnce(TestingObjectStore.Op.PUT, "MANIFEST", new IOException("disk full"));

    s.put("a/params.bin", new byte[] {1});
    assertThatThrownBy(() -> s.put("a/MANIFEST", new byte[] {1})).hasMessage("disk full");
    s.put("a/MANIFEST", new byte[] {2});

    assertThat(s.get("a/MANIFEST")).containsExactly(2);
    assertThat(s.log())
        .containsExactly("PUT a/params.bin", "PUT a/MANIFEST", "PUT a/MANIFEST", "GET a/MANIFEST");
  }
}
