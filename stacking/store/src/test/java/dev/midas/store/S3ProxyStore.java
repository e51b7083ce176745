package dev.midas.store;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs S3Proxy in-process (real S3 protocol, in-memory blobs) for a test
 * class, with one bucket, and hands the test credentials to the AWS default provider chain through
 * the {@code aws.accessKeyId}/{@code aws.secretAccessKey} system properties (restored afterwards);
 * {@link #env()} gives child processes the same as environment variables. Use it as
 *
 * <pre>
 * &#64;RegisterExtension static final S3ProxyStore S3 = new S3ProxyStore();
 * ObjectStore store = S3.open("my-test");
 * </pre>
 *
 * Other modules get it from midas-store's test-jar (plus org.gaul:s3proxy in test scope).
 */
public final class S3ProxyStore implements BeforeAllCallback, AfterAllCallback {
  public static final String BUCKET = "midas-test";
  private static final String ACCESS_KEY = "midas-test-access";
  private static final String SECRET_KEY = "midas-test-secret";
  private static final String[] PROPERTIES = {"aws.accessKeyId", "aws.secretAccessKey"};

  private S3Proxy proxy;
  private URI endpoint;
  private final String[] saved = new String[PROPERTIES.length];

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    BlobStore blobs = BlobStores.create("transient", new Properties());
    blobs.createContainer(BUCKET);
    proxy =
        S3Proxy.builder()
            .blobStore(blobs)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(5);
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    String[] values = {ACCESS_KEY, SECRET_KEY};
    for (int i = 0; i < PROPERTIES.length; i++) {
      saved[i] = System.getProperty(PROPERTIES[i]);
      System.setProperty(PROPERTIES[i], values[i]);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    for (int i = 0; i < PROPERTIES.length; i++) {
      if (saved[i] == null) {
        System.clearProperty(PROPERTIES[i]);
      } else {
        System.setProperty(PROPERTIES[i], saved[i]);
      }
    }
    if (proxy != null) {
      proxy.stop();
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Path-style options pointing at this S3Proxy. */
  public StoreOptions options() {
    return StoreOptions.endpoint(endpoint);
  }

  /** {@code s3://midas-test/<prefix>}. */
  public URI root(String prefix) {
    return URI.create("s3://" + BUCKET + "/" + prefix);
  }

  /** A store under {@code prefix} of the test bucket. */
  public ObjectStore open(String prefix) throws IOException {
    return ObjectStores.open(root(prefix), options());
  }

  /** Environment for a child process that opens this store. */
  public Map<String, String> env() {
    return Map.of(
        "AWS_ACCESS_KEY_ID",
        ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY",
        SECRET_KEY,
        "AWS_REGION",
        "us-east-1");
  }
}
