package dev.midas.operator.testing;

import dev.midas.operator.store.RunStores;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.store.ObjectStore;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * The operator's view of the object stores, with an outage switch: while {@link #startOutage} is in
 * force, opening a store and every operation on an opened one fail with an IOException, as when the
 * operator loses its network path to the store. Stage processes, which open their own stores, are
 * not affected. It counts the operator's attempts to open a store, by namespace ({@link #opens}).
 */
public final class TestingRunStores implements RunStores {
  private volatile RunStores delegate;
  private volatile String outage;
  private final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> opens =
      new java.util.concurrent.ConcurrentHashMap<>();

  void delegateTo(RunStores delegate) {
    this.delegate = delegate;
  }

  /** Every store read by the operator fails with {@code why} until {@link #endOutage}. */
  public void startOutage(String why) {
    outage = why;
  }

  public void endOutage() {
    outage = null;
  }

  /** How often the operator tried to open a store for an experiment in {@code namespace}. */
  public int opens(String namespace) {
    var n = opens.get(namespace);
    return n == null ? 0 : n.get();
  }

  @Override
  public ObjectStore open(String root, ResolvedSpec.Storage storage, String namespace)
      throws IOException {
    opens
        .computeIfAbsent(namespace, n -> new java.util.concurrent.atomic.AtomicInteger())
        .incrementAndGet();
    fail();
    ObjectStore store = delegate.open(root, storage, namespace);
    return (ObjectStore)
        Proxy.newProxyInstance(
            ObjectStore.class.getClassLoader(),
            new Class<?>[] {ObjectStore.class},
            (proxy, method, args) -> {
              if (!method.getName().equals("root") && !method.getName().equals("uri")) {
                fail();
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private void fail() throws IOException {
    String why = outage;
    if (why != null) {
      throw new java.net.ConnectException(why);
    }
  }
}
