package dev.midas.store.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import dev.midas.store.TestingObjectStore;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ManifestReaderTest {
  private static final String MANIFEST = "data/d/v1/MANIFEST";
  private final TestingObjectStore store = new TestingObjectStore();
  private final ManifestReader reader = new ManifestReader(store);

  @BeforeEach
  void commitOne() throws Exception {
    ArtifactWriter w = new ArtifactWriter(store, "data/d/v1/");
    w.write("shard.bin", "0123456789".getBytes(StandardCharsets.UTF_8));
    w.commit(DatasetManifest.newBuilder().setName("d"));
  }

  private DatasetManifest verify() throws Exception {
    return reader.readVerified(MANIFEST, DatasetManifest.getDefaultInstance());
  }

  @Test
  void wholeArtifactVerifies() throws Exception {
    assertThat(verify().getFilesCount()).isEqualTo(1);
  }

  @Test
  void truncatedFileIsRefusedNamingIt() {
    store.truncate("data/d/v1/shard.bin", 4);

    assertThatThrownBy(this::verify)
        .isInstanceOf(CorruptArtifactException.class)
        .hasMessageContaining("shard.bin is truncated: 4 bytes, its MANIFEST lists 10")
        .extracting(e -> ((CorruptArtifactException) e).file())
        .isEqualTo("shard.bin");
  }

  @Test
  void flippedByteIsRefusedByItsHash() {
    store.corrupt("data/d/v1/shard.bin", 7);

    assertThatThrownBy(this::verify)
        .isInstanceOf(CorruptArtifactException.class)
        .hasMessageContaining("shard.bin is corrupt: SHA-256");
  }

  @Test
  void missingFileIsRefused() throws Exception {
    store.delete("data/d/v1/shard.bin");

    assertThatThrownBy(this::verify).hasMessageContaining("shard.bin is listed but missing");
  }

  @Test
  void unparsableManifestIsRefused() throws Exception {
    store.put(MANIFEST, "{not json".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(this::verify)
        .isInstanceOf(CorruptArtifactException.class)
        .hasMessageContaining("MANIFEST: does not parse");
  }

  @Test
  void listedPathOutsideTheArtifactIsRefused() throws Exception {
    DatasetManifest evil =
        DatasetManifest.newBuilder()
            .addFiles(FileEntry.newBuilder().setPath("../../secret").setSize(1).setSha256("00"))
            .build();
    store.put(
        MANIFEST,
        com.google.protobuf.util.JsonFormat.printer().print(evil).getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(this::verify)
        .isInstanceOf(CorruptArtifactException.class)
        .hasMessageContaining("../../secret is not a path inside the artifact");
  }

  @Test
  void unknownManifestFieldsFromNewerWritersAreIgnored() throws Exception {
    String json = new String(store.get(MANIFEST), StandardCharsets.UTF_8);
    store.put(
        MANIFEST, json.replaceFirst("\\{", "{\"addedLater\": 3,").getBytes(StandardCharsets.UTF_8));

    assertThat(verify().getName()).isEqualTo("d");
  }
}
