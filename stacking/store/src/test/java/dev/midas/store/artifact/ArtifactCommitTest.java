package dev.midas.store.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import dev.midas.store.TestingObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArtifactCommitTest {
  private final TestingObjectStore store = new TestingObjectStore();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private DatasetManifest.Builder dataset() {
    return DatasetManifest.newBuilder().setName("brown").setVersion("v1");
  }

  @Test
  void manifestIsTheLastObjectWrittenAndListsEveryFile() throws Exception {
    ArtifactWriter w = new ArtifactWriter(store, "data/brown/v1/");
    w.write("part-00000-of-00002.tfrecord", utf8("first shard"));
    w.write("part-00001-of-00002.tfrecord", out -> out.write(utf8("second shard")));

    w.commit(dataset());

    List<String> writes = store.log().stream().filter(l -> l.startsWith("PUT")).toList();
    assertThat(writes.get(writes.size() - 1)).isEqualTo("PUT_IF_ABSENT data/brown/v1/MANIFEST");
    DatasetManifest m =
        new ManifestReader(store)
            .readVerified("data/brown/v1/MANIFEST", DatasetManifest.getDefaultInstance());
    assertThat(m.getName()).isEqualTo("brown");
    assertThat(m.getFilesList())
        .extracting(FileEntry::getPath, FileEntry::getSize)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("part-00000-of-00002.tfrecord", 11L),
            org.assertj.core.groups.Tuple.tuple("part-00001-of-00002.tfrecord", 12L));
    assertThat(m.getFiles(0).getSha256()).isEqualTo(Sha256.hex(utf8("first shard")));
  }

  @Test
  void writeInterruptedBeforeCommitLeavesNoArtifact() throws Exception {
    store.failOnce(TestingObjectStore.Op.PUT_IF_ABSENT, "MANIFEST", new IOException("killed"));
    ArtifactWriter w = new ArtifactWriter(store, "data/x/v1/");
    w.write("a.bin", utf8("data"));

    assertThatThrownBy(() -> w.commit(dataset())).hasMessage("killed");
    assertThatThrownBy(
            () ->
                new ManifestReader(store)
                    .read("data/x/v1/MANIFEST", DatasetManifest.getDefaultInstance()))
        .isInstanceOf(CorruptArtifactException.class)
        .hasMessageContaining("mem://testing/data/x/v1/MANIFEST")
        .hasMessageContaining("never committed");
    // The next attempt simply writes again.
    ArtifactWriter retry = new ArtifactWriter(store, "data/x/v1/");
    retry.write("a.bin", utf8("data"));
    assertThat(retry.commit(dataset()).toString()).isEqualTo("mem://testing/data/x/v1/MANIFEST");
  }

  @Test
  void committedArtifactIsNeverRewritten() throws Exception {
    ArtifactWriter w = new ArtifactWriter(store, "data/y/v1/");
    w.write("a.bin", utf8("data"));
    w.commit(dataset());

    assertThatThrownBy(() -> new ArtifactWriter(store, "data/y/v1/"))
        .isInstanceOf(ArtifactExistsException.class)
        .hasMessageContaining("data/y/v1/MANIFEST is already committed");
    assertThatThrownBy(() -> w.commit(dataset())).isInstanceOf(ArtifactExistsException.class);
  }

  @Test
  void manifestCannotBeWrittenAsAnOrdinaryFile() throws Exception {
    ArtifactWriter w = new ArtifactWriter(store, "data/z/v1/");

    assertThatThrownBy(() -> w.write("MANIFEST", utf8("{}")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
