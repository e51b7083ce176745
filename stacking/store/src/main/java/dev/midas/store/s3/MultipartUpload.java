package dev.midas.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Uploads a large local file in fixed-size parts, one part in memory at a time, and aborts the
 * upload on any failure so no orphaned parts stay billed.
 */
final class MultipartUpload {
  /** 16 MiB: above S3's 5 MiB minimum part, 625 GB under the 10,000-part limit. */
  static final int PART_SIZE = 16 * 1024 * 1024;

  /** S3's smallest part but the last. */
  static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  private MultipartUpload() {}

  static void upload(S3Client s3, String bucket, String key, Path file, int partSize)
      throws IOException {
    String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    try (InputStream in = Files.newInputStream(file)) {
      List<CompletedPart> parts = new ArrayList<>();
      byte[] buffer = new byte[partSize];
      for (int number = 1; ; number++) {
        int n = in.readNBytes(buffer, 0, partSize);
        if (n == 0 && number > 1) {
          break;
        }
        int part = number;
        String etag =
            s3.uploadPart(
                    b -> b.bucket(bucket).key(key).uploadId(id).partNumber(part),
                    RequestBody.fromBytes(
                        n == partSize ? buffer : java.util.Arrays.copyOf(buffer, n)))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
        if (n < partSize) {
          break;
        }
      }
      s3.completeMultipartUpload(
          b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
    } catch (IOException | SdkException e) {
      try {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id));
      } catch (SdkException abort) {
        e.addSuppressed(abort);
      }
      throw e;
    }
  }
}
