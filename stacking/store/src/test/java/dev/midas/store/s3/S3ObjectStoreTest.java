package dev.midas.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midas.store.ObjectStore;
import dev.midas.store.ObjectStoreContract;
import dev.midas.store.S3ProxyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class S3ObjectStoreTest extends ObjectStoreContract {
  @RegisterExtension static final S3ProxyStore S3 = new S3ProxyStore();
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  @Override
  protected ObjectStore store() throws Exception {
    return S3.open("contract-" + PREFIXES.incrementAndGet());
  }

  @Test
  void largeFileGoesUpInPartsAndComesBackWhole() throws Exception {
    int part = MultipartUpload.MIN_PART_SIZE;
    ObjectStore s =
        new S3ObjectStore(S3.root("multipart-" + PREFIXES.incrementAndGet()), S3.options(), part);
    byte[] data = new byte[part * 2 + 12_345];
    new Random(9).nextBytes(data);
    Path f = Files.write(tmp.resolve("big"), data);

    s.put("big/params.bin", f);

    assertThat(s.size("big/params.bin")).hasValue((long) data.length);
    assertThat(s.get("big/params.bin")).isEqualTo(data);
  }

  @Test
  void rootPrefixIsInvisibleInKeys() throws Exception {
    ObjectStore s = S3.open("nested/prefix");
    s.put("runs/x", new byte[] {1});

    assertThat(s.list("")).containsExactly("runs/x");
    assertThat(s.uri("runs/x").toString()).isEqualTo("s3://midas-test/nested/prefix/runs/x");
  }

  @Test
  void aLargePutWithAWrongSecretSaysTheStoreRefusedIt() throws Exception {
    ObjectStore wrong =
        new S3ObjectStore(
            S3.root("wrong-secret"),
            S3.options(),
            new StaticCredentials("midas-test-access", "not-the-secret"));
    // Large enough that the server refuses it before it has read the body: the client then sees
    // only a failed write, not the 403.
    byte[] checkpoint = new byte[4 << 20];

    assertThatThrownBy(() -> wrong.put("ckpt/params.bin", checkpoint))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("s3://midas-test/wrong-secret/ckpt/params.bin")
        .hasMessageContaining("403");
    assertThat(S3.open("wrong-secret").list("")).isEmpty();
  }

  @Test
  void aWriteToAnUnreachableStoreKeepsItsOwnErrorAfterTheBoundedQuestion() throws Exception {
    // Port 1: nothing listens, so neither the put nor the HEAD that asks why gets an answer.
    ObjectStore nowhere =
        new S3ObjectStore(
            S3.root("nowhere"),
            dev.midas.store.StoreOptions.endpoint(java.net.URI.create("http://127.0.0.1:1")));

    assertThatThrownBy(() -> nowhere.put("ckpt/params.bin", new byte[] {1}))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageStartingWith("put s3://midas-test/nowhere/ckpt/params.bin failed: ")
        .hasMessageNotContaining("the store answers");
  }

  @Test
  void missingCredentialsSayWhichVariablesToSet() {
    String id = System.clearProperty("aws.accessKeyId");
    String secret = System.clearProperty("aws.secretAccessKey");
    String imds = System.setProperty("aws.disableEc2Metadata", "true");
    try {
      assumeNoAmbientCredentials();
      assertThatThrownBy(() -> S3.open("no-creds"))
          .isInstanceOf(MissingCredentialsException.class)
          .hasMessageContaining("AWS_ACCESS_KEY_ID")
          .hasMessageContaining("AWS_SECRET_ACCESS_KEY")
          .hasMessageContaining("s3://midas-test/no-creds");
    } finally {
      System.setProperty("aws.accessKeyId", id);
      System.setProperty("aws.secretAccessKey", secret);
      if (imds == null) {
        System.clearProperty("aws.disableEc2Metadata");
      } else {
        System.setProperty("aws.disableEc2Metadata", imds);
      }
    }
  }

  private static void assumeNoAmbientCredentials() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        System.getenv("AWS_ACCESS_KEY_ID") == null
            && System.getenv("AWS_PROFILE") == null
            && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null
            && !Files.exists(Path.of(System.getProperty("user.home"), ".aws")),
        "this machine has AWS credentials of its own");
  }
}
