package dev.midas.pipelines.testing;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * S3Proxy in this JVM (the real S3 protocol over HTTP, blobs in memory) with one bucket, for a test
 * class. The credentials reach Beam's S3 client the way production ones do, through the AWS default
 * provider chain (here its {@code aws.*} system properties, restored afterwards).
 */
public final class TestingS3 implements BeforeAllCallback, AfterAllCallback {
  public static final String BUCKET = "midas-pipelines";
  private static final String[][] CREDENTIALS = {
    {"aws.accessKeyId", "pipelines-access"}, {"aws.secretAccessKey", "pipelines-secret"}
  };

  private final String[] previous = new String[CREDENTIALS.length];
  private S3Proxy proxy;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    BlobStore blobs = BlobStores.create("transient", new Properties());
    blobs.createContainer(BUCKET);
    proxy =
        S3Proxy.builder()
            .blobStore(blobs)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4, CREDENTIALS[0][1], CREDENTIALS[1][1])
            .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(5);
    }
    for (int i = 0; i < CREDENTIALS.length; i++) {
      previous[i] = System.setProperty(CREDENTIALS[i][0], CREDENTIALS[i][1]);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    for (int i = 0; i < CREDENTIALS.length; i++) {
      if (previous[i] == null) {
        System.clearProperty(CREDENTIALS[i][0]);
      } else {
        System.setProperty(CREDENTIALS[i][0], previous[i]);
      }
    }
    proxy.stop();
  }

  /** The pipeline arguments that reach this S3Proxy (path-style is the pipelines' default). */
  public String[] args() {
    return new String[] {"--endpoint=http://127.0.0.1:" + proxy.getPort(), "--awsRegion=us-east-1"};
  }

  /** {@code s3://<bucket>/<key>}. */
  public static String uri(String key) {
    return "s3://" + BUCKET + "/" + key;
  }
}
