package dev.midas.operator.store;

import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.store.ObjectStore;
import java.io.IOException;

/**
 * Opens the object store an experiment writes to, with the credentials of its Secret reference. The
 * operator only reads from it (manifests, heartbeats, results); artifacts are never deleted.
 */
@FunctionalInterface
public interface RunStores {

  /**
   * @param root the run's root URI (the spec's, or the operator's default)
   * @param storage the experiment's resolved storage: endpoint, region, Secret reference
   * @param namespace where the storage Secret lives
   */
  ObjectStore open(String root, ResolvedSpec.Storage storage, String namespace) throws IOException;
}
