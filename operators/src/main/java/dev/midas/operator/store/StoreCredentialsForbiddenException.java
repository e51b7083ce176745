package dev.midas.operator.store;

import java.io.IOException;

/**
 * The API server forbids the operator (HTTP 403) to read the Secret an experiment names for a store
 * of its own, and the operator reads such a store with nothing else. Not transient: nothing the
 * operator retries changes it, only a RoleBinding in the experiment's namespace does, so the
 * message says exactly which one to create.
 */
public class StoreCredentialsForbiddenException extends IOException {
  /** The ClusterRole (get on Secrets) a RoleBinding grants the operator in one namespace. */
  public static final String CLUSTER_ROLE = "midas-operator-secrets";

  private final String namespace;
  private final String secret;

  public StoreCredentialsForbiddenException(
      String namespace, String secret, String serviceAccount, java.time.Duration recheck) {
    super(
        "the operator may not read Secret "
            + namespace
            + "/"
            + secret
            + " (storage.secretRef), and it reads the store this experiment names with that"
            + " Secret only, never its own credentials: let it read Secrets in namespace "
            + namespace
            + " with `"
            + command(namespace, serviceAccount)
            + "`; it checks again every "
            + describe(recheck));
    this.namespace = namespace;
    this.secret = secret;
  }

  /**
   * What a namespace admin runs to let the operator read the store Secrets of {@code namespace}.
   */
  public static String command(String namespace, String serviceAccount) {
    return "kubectl create rolebinding "
        + CLUSTER_ROLE
        + " --clusterrole="
        + CLUSTER_ROLE
        + " --serviceaccount="
        + serviceAccount
        + " -n "
        + namespace;
  }

  public String namespace() {
    return namespace;
  }

  public String secret() {
    return secret;
  }

  private static String describe(java.time.Duration d) {
    long s = d.toSeconds();
    return s % 60 == 0 && s >= 60 ? s / 60 + " min" : s + " s";
  }
}
