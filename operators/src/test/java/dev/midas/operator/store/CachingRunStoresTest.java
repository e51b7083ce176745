package dev.midas.operator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.midas.operator.config.OperatorConfig;
import dev.midas.operator.testing.TestingApiServer;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.store.ObjectStore;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Stores experiments name are opened with their own Secret, read once and then again only after
 * {@link OperatorConfig#credentialsTtl}, never on every poll; a Secret the operator may not read is
 * asked for no more often, and never replaced by other credentials; at most {@link
 * CachingRunStores#MAX_OPEN} stores stay open.
 */
class CachingRunStoresTest {
  private static final String ENDPOINT = "http://127.0.0.1:9";

  @Test
  void secretIsReadOnceAndAgainOnlyAfterItsTimeToLive() throws Exception {
    try (TestingApiServer api = TestingApiServer.start()) {
      secret(api);
      MovableClock clock = new MovableClock();
      try (CachingRunStores stores =
          new CachingRunStores(api.newOperatorClient(), config(), clock)) {
        ObjectStore first = stores.open("s3://bucket/a", storage("creds"), "ns");
        for (int i = 0; i < 5; i++) {
          assertThat(stores.open("s3://bucket/a", storage("creds"), "ns")).isSameAs(first);
        }
        assertThat(secretReads(api)).isEqualTo(1);

        clock.now = clock.now.plus(config().credentialsTtl()).plusSeconds(1);
        assertThat(stores.open("s3://bucket/a", storage("creds"), "ns")).isNotSameAs(first);
        assertThat(secretReads(api)).isEqualTo(2);
      }
    }
  }

  @Test
  void atMostMaxOpenStoresStayOpen() throws Exception {
    try (TestingApiServer api = TestingApiServer.start()) {
      secret(api);
      try (CachingRunStores stores =
          new CachingRunStores(api.newOperatorClient(), config(), Clock.systemUTC())) {
        for (int i = 0; i < CachingRunStores.MAX_OPEN + 6; i++) {
          stores.open("s3://bucket/p" + i, storage("creds"), "ns");
        }
        assertThat(stores.openStores()).isEqualTo(CachingRunStores.MAX_OPEN);
      }
    }
  }

  @Test
  void storeWhoseSecretIsMissingIsUnavailableSayingWhich() throws Exception {
    try (TestingApiServer api = TestingApiServer.start();
        CachingRunStores stores =
            new CachingRunStores(api.newOperatorClient(), config(), Clock.systemUTC())) {
      IOException e =
          catchThrowableOfType(
              () -> stores.open("s3://bucket/a", storage("absent"), "ns"), IOException.class);
      assertThat(e).hasMessageContaining("Secret ns/absent (storage.secretRef) does not exist");
    }
  }

  @Test
  void forbiddenSecretSaysWhichRoleBindingToCreateAndIsAskedForOnlyAfterTheTtl() throws Exception {
    try (TestingApiServer api = TestingApiServer.start()) {
      secret(api);
      api.forbid("/api/v1/namespaces/ns/secrets/");
      MovableClock clock = new MovableClock();
      try (CachingRunStores stores =
          new CachingRunStores(api.newOperatorClient(), config(), clock)) {
        for (int i = 0; i < 5; i++) {
          StoreCredentialsForbiddenException e =
              catchThrowableOfType(
                  () -> stores.open("s3://bucket/a", storage("creds"), "ns"),
                  StoreCredentialsForbiddenException.class);
          assertThat(e)
              .hasMessageContaining("may not read Secret ns/creds (storage.secretRef)")
              .hasMessageContaining(
                  "`kubectl create rolebinding midas-operator-secrets"
                      + " --clusterrole=midas-operator-secrets"
                      + " --serviceaccount=midas-system:midas-operator -n ns`")
              .hasMessageContaining("checks again every 10 min");
        }
        assertThat(secretReads(api)).as("a refusal is not asked again within the TTL").isEqualTo(1);
        assertThat(stores.openStores()).isZero();

        api.allow("/api/v1/namespaces/ns/secrets/");
        clock.now = clock.now.plus(config().credentialsTtl()).plusSeconds(1);
        stores.open("s3://bucket/a", storage("creds"), "ns");
        assertThat(secretReads(api)).isEqualTo(2);
        assertThat(stores.openStores()).isEqualTo(1);
      }
    }
  }

  private static OperatorConfig config() {
    return OperatorConfig.builder()
        .defaultStorageRoot(Optional.of("s3://operators/own"))
        .defaultStorageEndpoint(Optional.of(ENDPOINT))
        .build();
  }

  private static ResolvedSpec.Storage storage(String secret) {
    return new ResolvedSpec.Storage(
        Optional.of("s3://bucket/a"),
        Optional.of(ENDPOINT),
        "us-east-1",
        true,
        Optional.of(secret));
  }

  private static void secret(TestingApiServer api) {
    api.client()
        .secrets()
        .inNamespace("ns")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("creds")
                .endMetadata()
                .withStringData(Map.of("AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s"))
                .build())
        .create();
  }

  private static long secretReads(TestingApiServer api) {
    return api.operatorRequests().stream()
        .filter(r -> r.startsWith("GET /api/v1/namespaces/ns/secrets/creds"))
        .count();
  }

  /** A clock a test moves by hand. */
  private static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
