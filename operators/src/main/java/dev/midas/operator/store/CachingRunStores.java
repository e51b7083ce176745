package dev.midas.operator.store;

import dev.midas.operator.config.OperatorConfig;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.store.ObjectStore;
import dev.midas.store.ObjectStores;
import dev.midas.store.StoreOptions;
import dev.midas.store.s3.StaticCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Opens the stores runs live in, with the right credentials, and keeps them open: an S3 client is
 * expensive to build and every poll of a running experiment reads its store. The operator's own
 * store (its default root and endpoint) is read with the operator's credentials (its environment:
 * the AWS default chain); a store an experiment names is read only with the credentials of the
 * experiment's {@code storage.secretRef}, in the experiment's namespace, never the operator's own.
 * That Secret is read when the store is opened and again at most every {@link
 * OperatorConfig#credentialsTtl}, not on every poll; a Secret the operator was forbidden to read is
 * not asked for again sooner either (the answer is the same {@link
 * StoreCredentialsForbiddenException}), so no reconcile, however often it runs, repeats a refused
 * request. At most {@link #MAX_OPEN} stores stay open; the least recently used is closed.
 */
public class CachingRunStores implements RunStores, AutoCloseable {
  static final int MAX_OPEN = 64;

  private final KubernetesClient client;
  private final OperatorConfig config;
  private final Clock clock;
  private final Map<String, Opened> open =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Opened> eldest) {
          if (size() > MAX_OPEN) {
            closeQuietly(eldest.getValue().store());
            return true;
          }
          return false;
        }
      };

  /** Secrets the operator was refused, by store key, with when: asked again after the TTL. */
  private final Map<String, Refused> refused =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Refused> eldest) {
          return size() > MAX_OPEN;
        }
      };

  private record Opened(ObjectStore store, Instant at, boolean expires) {}

  private record Refused(StoreCredentialsForbiddenException why, Instant at) {}

  public CachingRunStores(KubernetesClient client, OperatorConfig config, Clock clock) {
    this.client = client;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public ObjectStore open(String root, ResolvedSpec.Storage storage, String namespace)
      throws IOException {
    StoreOptions options = StoreOptions.from(storage);
    boolean own = config.isDefaultStore(root, storage);
    String secret = storage.secretRef().orElse("");
    String key = root + "|" + options + (own ? "" : "|" + namespace + "/" + secret);
    Instant now = clock.instant();
    Duration ttl = config.credentialsTtl();
    synchronized (open) {
      Opened o = open.get(key);
      if (o != null && (!o.expires() || o.at().plus(ttl).isAfter(now))) {
        return o.store();
      }
      Refused r = refused.get(key);
      if (r != null && r.at().plus(ttl).isAfter(now)) {
        throw r.why();
      }
      if (o != null) {
        open.remove(key);
        closeQuietly(o.store());
      }
    }
    ObjectStore store;
    if (own) {
      store = ObjectStores.open(root, options);
    } else if (secret.isEmpty()) {
      throw new IOException(
          "storage.root "
              + root
              + " names a store of the experiment's own: without"
              + " storage.secretRef the operator cannot read it (it never uses its own credentials"
              + " there)");
    } else {
      try {
        store = ObjectStores.open(URI.create(root), options, credentials(namespace, secret));
      } catch (StoreCredentialsForbiddenException e) {
        synchronized (open) {
          refused.put(key, new Refused(e, now));
        }
        throw e;
      }
    }
    synchronized (open) {
      refused.remove(key);
      open.put(key, new Opened(store, now, !own));
    }
    return store;
  }

  private StaticCredentials credentials(String namespace, String name) throws IOException {
    Secret s;
    try {
      s = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        throw new StoreCredentialsForbiddenException(
            namespace, name, config.serviceAccount(), config.credentialsTtl());
      }
      throw new IOException("Secret " + namespace + "/" + name + " cannot be read", e);
    }
    if (s == null) {
      throw new IOException(
          "Secret "
              + namespace
              + "/"
              + name
              + " (storage.secretRef) does not exist; the store this experiment names is read"
              + " with its credentials");
    }
    return new StaticCredentials(
        value(s, "AWS_ACCESS_KEY_ID").orElseThrow(() -> missingKey(s, "AWS_ACCESS_KEY_ID")),
        value(s, "AWS_SECRET_ACCESS_KEY")
            .orElseThrow(() -> missingKey(s, "AWS_SECRET_ACCESS_KEY")));
  }

  private static IOException missingKey(Secret s, String key) {
    return new IOException(
        "Secret "
            + s.getMetadata().getNamespace()
            + "/"
            + s.getMetadata().getName()
            + " (storage.secretRef) has no key "
            + key);
  }

  /** A Secret's value: from data (what the API server keeps), or stringData as written. */
  private static Optional<String> value(Secret s, String key) {
    if (s.getData() != null && s.getData().containsKey(key)) {
      return Optional.of(
          new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8));
    }
    return Optional.ofNullable(s.getStringData()).map(d -> d.get(key));
  }

  /** How many stores are open. */
  int openStores() {
    synchronized (open) {
      return open.size();
    }
  }

  @Override
  public void close() {
    synchronized (open) {
      open.values().forEach(o -> closeQuietly(o.store()));
      open.clear();
      refused.clear();
    }
  }

  private static void closeQuietly(ObjectStore s) {
    try {
      s.close();
    } catch (Exception e) {
      // Closing a client that is no longer used: nothing to recover.
    }
  }
}
