package dev.midas.checkpoint;

import dev.midas.store.ObjectStore;
import dev.midas.store.S3ProxyStore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

class S3CheckpointStoreTest extends CheckpointStoreContract {
  @RegisterExtension static final S3ProxyStore S3 = new S3ProxyStore();
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  @Override
  ObjectStore store() throws Exception {
    return S3.open("ckpt-" + PREFIXES.incrementAndGet());
  }
}
