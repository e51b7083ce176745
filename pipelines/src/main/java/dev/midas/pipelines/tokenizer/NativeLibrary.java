package dev.midas.pipelines.tokenizer;

import ai.djl.huggingface.tokenizers.jni.LibUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Loads DJL's tokenizers native library once per class loader. The JVM binds a native library file
 * to the first class loader that loads it, and Flink gives every job on a long-lived TaskManager a
 * fresh user-code class loader: the second job would fail with "already loaded in another
 * classloader". So, outside the application class loader, each class loader gets its own copy of
 * the library, extracted to a private folder (deleted once loaded: the mapping stays).
 */
final class NativeLibrary {
  private static final String CACHE_PROPERTY = "ENGINE_CACHE_DIR"; // DJL's extraction folder

  private NativeLibrary() {}

  static void load() {
    if (NativeLibrary.class.getClassLoader() == ClassLoader.getSystemClassLoader()) {
      LibUtils.checkStatus(); // the usual shared cache (~/.djl.ai)
      return;
    }
    // System.class is the same object for every class loader: a JVM-wide lock around the
    // property, which every loader's DJL reads while it extracts.
    synchronized (System.class) {
      String previous = System.getProperty(CACHE_PROPERTY);
      Path own;
      try {
        own = Files.createTempDirectory("midas-tokenizers-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      System.setProperty(CACHE_PROPERTY, own.toString());
      try {
        LibUtils.checkStatus();
      } finally {
        if (previous == null) {
          System.clearProperty(CACHE_PROPERTY);
        } else {
          System.setProperty(CACHE_PROPERTY, previous);
        }
        deleteQuietly(own);
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // A leftover temporary folder is harmless.
    }
  }
}
