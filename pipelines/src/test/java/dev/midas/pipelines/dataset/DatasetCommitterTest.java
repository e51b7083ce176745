package dev.midas.pipelines.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCommitterTest {
  private static final List<String> NAMES =
      List.of("train-00000-of-00002.tfrecord", "train-00001-of-00002.tfrecord");

  @TempDir Path root;

  private List<FileEntry> writeRun(DatasetLayout layout, String content) throws Exception {
    List<FileEntry> files = new ArrayList<>();
    for (String name : NAMES) {
      files.add(
          FileWriter.writeWhole(
              layout.runDir(), name, (content + name).getBytes(StandardCharsets.UTF_8)));
    }
    return files;
  }

  private DatasetLayout run(String id) {
    return new DatasetLayout(root.toString(), "d", "v1", id);
  }

  private static DatasetManifest.Builder manifest() {
    return DatasetManifest.newBuilder().setKind("tokens").setName("d").setVersion("v1");
  }

  @Test
  void publishesTheManifestOverFilesLeftWhereTheyWereWritten() throws Exception {
    DatasetLayout layout = run("run1");
    DatasetCommitter.Commit c = DatasetCommitter.commit(layout, writeRun(layout, "a"), manifest());
    Path dir = root.resolve("data/d/v1");
    assertThat(c.written()).isTrue();
    assertThat(c.manifest().getFilesList())
        .extracting(FileEntry::getPath)
        .containsExactly("run-run1/" + NAMES.get(0), "run-run1/" + NAMES.get(1));
    for (FileEntry f : c.manifest().getFilesList()) {
      byte[] bytes = Files.readAllBytes(dir.resolve(f.getPath()));
      assertThat(bytes).hasSize((int) f.getSize());
      assertThat(Sha256.hex(bytes)).isEqualTo(f.getSha256());
    }
    assertThat(ManifestJson.read(layout.manifest())).isEqualTo(c.manifest());
  }

  @Test
  void theContentHashNamesFilesWithoutTheirRunFolder() throws Exception {
    DatasetLayout first = run("run1");
    String hash =
        DatasetCommitter.commit(first, writeRun(first, "a"), manifest())
            .manifest()
            .getContentSha256();
    DatasetLayout elsewhere = new DatasetLayout(root.resolve("other").toString(), "d", "v1", "x");
    assertThat(
            DatasetCommitter.commit(elsewhere, writeRun(elsewhere, "a"), manifest())
                .manifest()
                .getContentSha256())
        .isEqualTo(hash);
  }

  @Test
  void aMissingFileMeansNoManifest() throws Exception {
    DatasetLayout layout = run("run1");
    List<FileEntry> files = writeRun(layout, "a");
    Files.delete(root.resolve("data/d/v1/run-run1/" + NAMES.get(1)));
    assertThatThrownBy(() -> DatasetCommitter.commit(layout, files, manifest()))
        .isInstanceOf(IncompleteDatasetException.class)
        .hasMessageContaining(NAMES.get(1))
        .hasMessageContaining("is missing; no MANIFEST written");
    assertThat(root.resolve("data/d/v1/MANIFEST")).doesNotExist();
  }

  @Test
  void filesOfACrashedRunStayOutOfTheDataset() throws Exception {
    DatasetLayout crashed = run("crashed");
    writeRun(crashed, "old");
    DatasetLayout layout = run("run2");
    DatasetManifest m =
        DatasetCommitter.commit(layout, writeRun(layout, "new"), manifest()).manifest();
    assertThat(m.getFilesList()).allMatch(f -> f.getPath().startsWith("run-run2/"));
  }

  @Test
  void concurrentRunsOfOneVersionOnlyEverDeleteTheirOwnFiles() throws Exception {
    // Both runs have written their files; the first to publish wins, the same-content loser keeps
    // the winner's dataset and removes only its own folder, the other-content loser is refused.
    DatasetLayout winner = run("a");
    DatasetLayout same = run("b");
    DatasetLayout other = run("c");
    List<FileEntry> winnerFiles = writeRun(winner, "x");
    List<FileEntry> sameFiles = writeRun(same, "x");
    List<FileEntry> otherFiles = writeRun(other, "y");
    DatasetManifest committed = DatasetCommitter.commit(winner, winnerFiles, manifest()).manifest();
    long stamp = Files.getLastModifiedTime(root.resolve("data/d/v1/MANIFEST")).toMillis();

    DatasetCommitter.Commit again = DatasetCommitter.commit(same, sameFiles, manifest());
    assertThat(again.written()).isFalse();
    assertThat(again.manifest()).isEqualTo(committed);
    assertThatThrownBy(() -> DatasetCommitter.commit(other, otherFiles, manifest()))
        .isInstanceOf(DatasetConflictException.class)
        .hasMessageContaining("dataset d/v1 at ")
        .hasMessageContaining("already exists with different content")
        .hasMessageContaining("refusing to overwrite it: choose another --version");

    assertThat(root.resolve("data/d/v1/run-b")).doesNotExist();
    assertThat(root.resolve("data/d/v1/run-c")).doesNotExist();
    for (FileEntry f : committed.getFilesList()) {
      assertThat(root.resolve("data/d/v1").resolve(f.getPath())).exists();
    }
    assertThat(ManifestJson.read(winner.manifest())).isEqualTo(committed);
    assertThat(Files.getLastModifiedTime(root.resolve("data/d/v1/MANIFEST")).toMillis())
        .isEqualTo(stamp);
  }

  @Test
  void aCommitRemovesRunFoldersThatNoManifestCanNameOnceNothingWritesThem() throws Exception {
    // A run that crashed two hours ago and one still writing (files fresh), then a run commits:
    // the stale folder goes, the fresh one stays (its run will find the MANIFEST and clean up).
    DatasetLayout crashed = run("crashed");
    writeRun(crashed, "old");
    FileTime twoHoursAgo = FileTime.fromMillis(System.currentTimeMillis() - 7_200_000);
    for (String name : NAMES) {
      Files.setLastModifiedTime(root.resolve("data/d/v1/run-crashed/" + name), twoHoursAgo);
    }
    DatasetLayout writing = run("writing");
    List<FileEntry> writingFiles = writeRun(writing, "x");
    DatasetLayout layout = run("done");
    DatasetManifest m =
        DatasetCommitter.commit(layout, writeRun(layout, "x"), manifest()).manifest();

    assertThat(root.resolve("data/d/v1/run-crashed")).doesNotExist();
    assertThat(root.resolve("data/d/v1/run-writing/" + NAMES.get(0))).exists();
    for (FileEntry f : m.getFilesList()) {
      assertThat(root.resolve("data/d/v1").resolve(f.getPath())).exists();
    }

    // Even were the still-writing run's files removed, it ends as a reproduction, not an error.
    for (String name : NAMES) {
      Files.delete(root.resolve("data/d/v1/run-writing/" + name));
    }
    DatasetCommitter.Commit late = DatasetCommitter.commit(writing, writingFiles, manifest());
    assertThat(late.written()).isFalse();
    assertThat(late.manifest()).isEqualTo(m);
  }
}
