package dev.midas.bench.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the per-subtask record counts of a finished Flink job from the archive its JobManager
 * writes on completion ({@code jobmanager.archive.fs.dir}, the History Server's format): for each
 * job vertex (a chain of pipeline steps), the records each parallel subtask read and wrote.
 */
final class FlinkArchive {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One job vertex: its name and the records each subtask read and wrote. */
  record Vertex(String name, List<Long> read, List<Long> written) {}

  private FlinkArchive() {}

  static List<Vertex> read(Path archiveDir) throws IOException {
    List<Vertex> out = new ArrayList<>();
    Path file;
    try (Stream<Path> files = Files.list(archiveDir)) {
      file = files.filter(Files::isRegularFile).findFirst().orElse(null);
    }
    if (file == null) {
      return out;
    }
    for (JsonNode entry : JSON.readTree(file.toFile()).path("archive")) {
      String path = entry.path("path").asText();
      if (!path.matches("/jobs/[0-9a-f]+/vertices/[0-9a-f]+")) {
        continue;
      }
      JsonNode vertex = JSON.readTree(entry.path("json").asText());
      List<Long> read = new ArrayList<>();
      List<Long> written = new ArrayList<>();
      for (JsonNode subtask : vertex.path("subtasks")) {
        read.add(subtask.path("metrics").path("read-records").asLong());
        written.add(subtask.path("metrics").path("write-records").asLong());
      }
      out.add(new Vertex(vertex.path("name").asText(), read, written));
    }
    return out;
  }
}
