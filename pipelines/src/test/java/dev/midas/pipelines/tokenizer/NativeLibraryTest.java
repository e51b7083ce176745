package dev.midas.pipelines.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two Flink jobs on one TaskManager each load the pipelines in their own child-first class loader;
 * both must be able to tokenize (the JVM binds a native library file to one class loader only).
 */
class NativeLibraryTest {
  @Test
  void twoChildFirstClassLoadersEachLoadTheTokenizerLikeTwoJobsOnOneTaskManager() throws Exception {
    String json =
        TokenizerJson.write(BpeTrainer.train(Map.of("hello", 5L), 260, 1, BpeModel.DEFAULT_EOS));
    Bpe.fromJson(json).close(); // the application class loader loads it too, as in local runs
    for (int job = 0; job < 2; job++) {
      try (URLClassLoader loader =
          new ChildFirst(
              jarsOf(
                  Bpe.class,
                  HuggingFaceTokenizer.class,
                  ai.djl.util.Utils.class,
                  ObjectMapper.class,
                  JsonFactory.class,
                  JsonAutoDetect.class))) {
        Class<?> bpe = loader.loadClass(Bpe.class.getName());
        assertThat(bpe.getClassLoader()).isSameAs(loader);
        Object tokenizer = bpe.getMethod("fromJson", String.class).invoke(null, json);
        int[] ids = (int[]) bpe.getMethod("encode", String.class).invoke(tokenizer, "hello");
        assertThat(bpe.getMethod("decode", int[].class).invoke(tokenizer, ids)).isEqualTo("hello");
        ((AutoCloseable) tokenizer).close();
      }
    }
  }

  private static URL[] jarsOf(Class<?>... classes) {
    Set<URL> urls = new LinkedHashSet<>();
    for (Class<?> c : classes) {
      urls.add(c.getProtectionDomain().getCodeSource().getLocation());
    }
    return urls.toArray(URL[]::new);
  }

  /**
   * Flink's user-code class loader in miniature: its own jars first, the JDK and SLF4J from above.
   */
  private static final class ChildFirst extends URLClassLoader {
    private static final List<String> PARENT_FIRST =
        List.of("java.", "javax.", "jdk.", "sun.", "org.slf4j.", "com.google.");

    ChildFirst(URL[] urls) {
      super(urls, ChildFirst.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        if (PARENT_FIRST.stream().anyMatch(name::startsWith)) {
          return super.loadClass(name, resolve);
        }
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          try {
            c = findClass(name);
          } catch (ClassNotFoundException e) {
            return super.loadClass(name, resolve);
          }
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }
  }
}
