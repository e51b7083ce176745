package dev.midas.checkpoint;

import dev.midas.store.FileObjectStore;
import dev.midas.store.ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileCheckpointStoreTest extends CheckpointStoreContract {
  @TempDir Path tmp;

  @Override
  ObjectStore store() throws Exception {
    return new FileObjectStore(Files.createTempDirectory(tmp, "ckpt"));
  }
}
