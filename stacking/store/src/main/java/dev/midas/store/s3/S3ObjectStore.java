package dev.midas.store.s3;

import dev.midas.store.Keys;
import dev.midas.store.ObjectStore;
import dev.midas.store.StoreOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@code s3://bucket/prefix} store, for AWS S3 and S3-compatible servers. Create-only writes
 * use {@code If-None-Match: *}; files over {@link MultipartUpload#PART_SIZE} go up in parts.
 * Credentials come from the AWS default provider chain only, and are checked when the store opens,
 * so a missing Secret fails at once with a {@link MissingCredentialsException}. SDK errors surface
 * as {@link IOException}s naming the object's URI.
 */
public final class S3ObjectStore implements ObjectStore {
  /** How long a failed write may spend asking the bucket why: one HEAD, its retries included. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  private final URI root;
  private final String bucket;
  private final String prefix;
  private final S3Client s3;
  private final int partSize;

  public S3ObjectStore(URI root, StoreOptions options) {
    this(root, options, MultipartUpload.PART_SIZE, Optional.empty());
  }

  /** With these credentials instead of the AWS default chain's. */
  public S3ObjectStore(URI root, StoreOptions options, StaticCredentials credentials) {
    this(root, options, MultipartUpload.PART_SIZE, Optional.of(credentials));
  }

  /** With a smaller part size, so tests can exercise multipart uploads on small files. */
  S3ObjectStore(URI root, StoreOptions options, int partSize) {
    this(root, options, partSize, Optional.empty());
  }

  private S3ObjectStore(
      URI root, StoreOptions options, int partSize, Optional<StaticCredentials> given) {
    if (partSize < MultipartUpload.MIN_PART_SIZE) {
      throw new IllegalArgumentException("S3 parts are at least 5 MiB, not " + partSize);
    }
    this.partSize = partSize;
    if (!"s3".equals(root.getScheme()) || root.getHost() == null || root.getHost().isEmpty()) {
      throw new IllegalArgumentException(root + " is not an s3://bucket/prefix URI");
    }
    this.bucket = root.getHost();
    String p = root.getPath() == null ? "" : root.getPath();
    p = p.replaceAll("^/+", "").replaceAll("/+$", "");
    this.prefix = p.isEmpty() ? "" : Keys.check(p) + "/";
    this.root = URI.create("s3://" + bucket + (p.isEmpty() ? "" : "/" + p));
    AwsCredentialsProvider credentials =
        given.isPresent()
            ? StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    given.get().accessKeyId(), given.get().secretAccessKey()))
            : DefaultCredentialsProvider.builder().build();
    try {
      credentials.resolveCredentials();
    } catch (SdkClientException e) {
      throw new MissingCredentialsException(this.root.toString(), e);
    }
    var builder =
        S3Client.builder()
            .region(Region.of(options.region()))
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create())
            .forcePathStyle(options.pathStyle())
            // S3-compatible servers reject the SDK's newer default trailing checksums.
            .requestChecksumCalculation(
                software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(
                software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED);
    options.endpoint().ifPresent(builder::endpointOverride);
    this.s3 = builder.build();
  }

  @Override
  public URI root() {
    return root;
  }

  private String full(String key) {
    return prefix + Keys.check(key);
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    try {
      s3.putObject(b -> b.bucket(bucket).key(full(key)), RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw failedWrite("put", key, e);
    }
  }

  @Override
  public void put(String key, Path file) throws IOException {
    try {
      if (Files.size(file) <= partSize) {
        s3.putObject(b -> b.bucket(bucket).key(full(key)), RequestBody.fromFile(file));
      } else {
        MultipartUpload.upload(s3, bucket, full(key), file, partSize);
      }
    } catch (SdkException e) {
      throw failedWrite("put", key, e);
    }
  }

  @Override
  public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
    try {
      s3.putObject(
          b -> b.bucket(bucket).key(full(key)).ifNoneMatch("*"), RequestBody.fromBytes(bytes));
      return true;
    } catch (S3Exception e) {
      // 412: the key exists. 409: a concurrent conditional write to the key is winning.
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        return e.numAttempts() > 1 && sameContent(key, bytes);
      }
      throw failed("create", key, e);
    } catch (SdkException e) {
      throw failedWrite("create", key, e);
    }
  }

  /**
   * The SDK retries a request whose response it lost; if the first attempt landed, the retry meets
   * our own object. Identical bytes mean this write is the one that won.
   */
  private boolean sameContent(String key, byte[] bytes) throws IOException {
    try {
      return java.util.Arrays.equals(get(key), bytes);
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  @Override
  public byte[] get(String key) throws IOException {
    try {
      return s3.getObjectAsBytes(b -> b.bucket(bucket).key(full(key))).asByteArray();
    } catch (NoSuchKeyException e) {
      throw new NoSuchFileException(uri(key).toString());
    } catch (SdkException e) {
      throw failed("get", key, e);
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    try {
      return s3.getObject(b -> b.bucket(bucket).key(full(key)));
    } catch (NoSuchKeyException e) {
      throw new NoSuchFileException(uri(key).toString());
    } catch (SdkException e) {
      throw failed("get", key, e);
    }
  }

  @Override
  public Optional<Long> size(String key) throws IOException {
    try {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(full(key)));
      return Optional.of(head.contentLength());
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw failed("head", key, e);
    } catch (SdkException e) {
      throw failed("head", key, e);
    }
  }

  @Override
  public List<String> list(String keyPrefix) throws IOException {
    Keys.checkPrefix(keyPrefix);
    try {
      List<String> keys = new ArrayList<>();
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + keyPrefix)).contents()) {
        keys.add(o.key().substring(prefix.length()));
      }
      keys.sort(null);
      return keys;
    } catch (SdkException e) {
      throw failed("list", keyPrefix, e);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(full(key)));
    } catch (SdkException e) {
      throw failed("delete", key, e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }

  /**
   * A write that failed without an answer from the server. A server that refuses a PUT before
   * reading its body (a wrong secret, a missing bucket) closes the connection under the client,
   * which then sees only "Error writing request body to server" or a broken pipe, however often the
   * SDK retries. Asking the bucket once recovers the server's reason, so the message says what to
   * fix rather than blaming the network. The question is bounded ({@link #PROBE_TIMEOUT}): an
   * unreachable store keeps the write's own error, a few seconds later at most.
   */
  private IOException failedWrite(String what, String key, SdkException e) {
    if (e instanceof S3Exception || e instanceof AbortedException) {
      return failed(what, key, e);
    }
    try {
      s3.headBucket(
          b -> b.bucket(bucket).overrideConfiguration(o -> o.apiCallTimeout(PROBE_TIMEOUT)));
      return failed(what, key, e);
    } catch (S3Exception refused) {
      String answer =
          switch (refused.statusCode()) {
            case 403 -> "403 Forbidden: check the access key and secret (and the bucket's policy)";
            case 404 -> "404: bucket " + bucket + " does not exist";
            default -> refused.statusCode() + " to a HEAD of bucket " + bucket;
          };
      IOException io =
          failed(what, key, "the store answers " + answer + " (" + e.getMessage() + ")", e);
      io.addSuppressed(refused);
      return io;
    } catch (SdkException unreachable) {
      return failed(what, key, e);
    }
  }

  private IOException failed(String what, String key, SdkException e) {
    return failed(what, key, e.getMessage(), e);
  }

  private IOException failed(String what, String key, String reason, SdkException cause) {
    return new IOException(what + " " + uri(key) + " failed: " + reason, cause);
  }
}
