package dev.midas.pipelines.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCommitterTest {
  @TempDir Path root;

  private List<FileEntry> writeRun(DatasetLayout layout, String content) throws Exception {
    List<FileEntry> files = new ArrayList<>();
    for (String name : List.of("train-00000-of-00002.tfrecord", "train-00001-of-00002.tfrecord")) {
      files.add(
          FileWriter.writeWhole(
              layout.tempDir(), name, (content + name).getBytes(StandardCharsets.UTF_8)));
    }
    return files;
  }

  private static DatasetManifest.Builder manifest() {
    return DatasetManifest.newBuilder().setKind("tokens").setName("d").setVersion("v1");
  }

  @Test
  void commitsFilesThenTheManifestListingEachWithSizeAndHash() throws Exception {
    DatasetLayout layout = new DatasetLayout(root.toString(), "d", "v1", "run1");
    DatasetCommitter.Commit c = DatasetCommitter.commit(layout, writeRun(layout, "a"), manifest());
    Path dir = root.resolve("data/d/v1");
    assertThat(c.written()).isTrue();
    assertThat(dir.resolve("MANIFEST")).exists();
    for (FileEntry f : c.manifest().getFilesList()) {
      byte[] bytes = Files.readAllBytes(dir.resolve(f.getPath()));
      assertThat(bytes).hasSize((int) f.getSize());
      assertThat(Sha256.hex(bytes)).isEqualTo(f.getSha256());
    }
    assertThat(root.resolve("data/d/_temp/v1-run1")).doesNotExist();
    assertThat(ManifestJson.read(layout.manifest())).isEqualTo(c.manifest());
  }

  @Test
  void aMissingShardMeansNoManifest() throws Exception {
    DatasetLayout layout = new DatasetLayout(root.toString(), "d", "v1", "run1");
    List<FileEntry> files = writeRun(layout, "a");
    Files.delete(root.resolve("data/d/_temp/v1-run1/train-00001-of-00002.tfrecord"));
    assertThatThrownBy(() -> DatasetCommitter.commit(layout, files, manifest()))
        .isInstanceOf(IncompleteDatasetException.class)
        .hasMessageContaining("train-00001-of-00002.tfrecord")
        .hasMessageContaining("is missing; no MANIFEST written");
    assertThat(root.resolve("data/d/v1/MANIFEST")).doesNotExist();
  }

  @Test
  void filesLeftByACrashedCommitAreRemovedSoOldAndNewShardsNeverMix() throws Exception {
    Path dir = Files.createDirectories(root.resolve("data/d/v1"));
    Files.writeString(dir.resolve("train-00000-of-00003.tfrecord"), "old");
    Files.writeString(dir.resolve("train-00002-of-00003.tfrecord"), "old");
    DatasetLayout layout = new DatasetLayout(root.toString(), "d", "v1", "run2");
    DatasetCommitter.commit(layout, writeRun(layout, "new"), manifest());
    try (var listing = Files.list(dir)) {
      assertThat(listing.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "MANIFEST", "train-00000-of-00002.tfrecord", "train-00001-of-00002.tfrecord");
    }
  }

  @Test
  void aRerunWithTheSameContentKeepsTheDatasetAndOneWithOtherContentIsRefused() throws Exception {
    DatasetLayout first = new DatasetLayout(root.toString(), "d", "v1", "run1");
    DatasetManifest committed =
        DatasetCommitter.commit(first, writeRun(first, "a"), manifest()).manifest();
    long stamp = Files.getLastModifiedTime(root.resolve("data/d/v1/MANIFEST")).toMillis();

    DatasetLayout again = new DatasetLayout(root.toString(), "d", "v1", "run2");
    DatasetCommitter.Commit same = DatasetCommitter.commit(again, writeRun(again, "a"), manifest());
    assertThat(same.written()).isFalse();
    assertThat(same.manifest()).isEqualTo(committed);

    DatasetLayout other = new DatasetLayout(root.toString(), "d", "v1", "run3");
    List<FileEntry> otherFiles = writeRun(other, "b");
    assertThatThrownBy(() -> DatasetCommitter.commit(other, otherFiles, manifest()))
        .isInstanceOf(DatasetConflictException.class)
        .hasMessageContaining("dataset d/v1 at ")
        .hasMessageContaining("already exists with different content")
        .hasMessageContaining("refusing to overwrite it: choose another --version");
    assertThat(ManifestJson.read(first.manifest())).isEqualTo(committed);
    assertThat(Files.getLastModifiedTime(root.resolve("data/d/v1/MANIFEST")).toMillis())
        .isEqualTo(stamp);
    assertThat(root.resolve("data/d/_temp/v1-run3")).doesNotExist();
  }
}
