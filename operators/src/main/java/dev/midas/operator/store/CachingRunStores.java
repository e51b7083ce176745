package dev.midas.operator.store;

import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.store.ObjectStore;
import dev.midas.store.ObjectStores;
import dev.midas.store.StoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens each distinct store (root, endpoint, region, addressing) once and keeps it: an S3 client is
 * expensive to build and every reconcile of a running experiment reads its store. The operator's
 * own credentials come from its environment (the AWS default chain), never from a spec.
 */
public class CachingRunStores implements RunStores, AutoCloseable {
  private final Map<String, ObjectStore> open = new ConcurrentHashMap<>();

  @Override
  public ObjectStore open(String root, ResolvedSpec.Storage storage, String namespace) {
    StoreOptions options = StoreOptions.from(storage);
    String key = root + "|" + options;
    return open.computeIfAbsent(
        key,
        k -> {
          try {
            return ObjectStores.open(root, options);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  @Override
  public void close() throws IOException {
    for (ObjectStore s : open.values()) {
      s.close();
    }
    open.clear();
  }
}
