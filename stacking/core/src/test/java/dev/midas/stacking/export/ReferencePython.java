package dev.midas.stacking.export;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/python/hf_reference.py}, the forward pass written from the Hugging Face
 * definitions, with a python3 that has PyTorch: {@code MIDAS_PYTHON} (or {@code -Dmidas.python}),
 * else Debian's {@code /usr/bin/python3} with the {@code python3-torch} package. Without one the
 * test fails saying what to install; it is never skipped.
 */
final class ReferencePython {
  static final Path SCRIPT = Path.of("src/test/python/hf_reference.py");

  private ReferencePython() {}

  static String interpreter() {
    String p = System.getProperty("midas.python");
    if (p == null) {
      p = System.getenv("MIDAS_PYTHON");
    }
    return p == null ? "/usr/bin/python3" : p;
  }

  /** Fails the test with what to install unless the interpreter imports torch. */
  static void requireTorch() throws Exception {
    String python = interpreter();
    String problem;
    try {
      Process p =
          new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      problem = p.waitFor() == 0 ? null : out.strip();
    } catch (IOException e) {
      problem = e.getMessage();
    }
    if (problem != null) {
      fail(
          "The Hugging Face round-trip test runs a reference forward pass in Python with PyTorch,"
              + " and "
              + python
              + " cannot import torch ("
              + problem
              + "). Install Debian's python3-torch (apt-get install python3-torch; .ci/run does),"
              + " or set MIDAS_PYTHON to a python3 that has torch.");
    }
  }

  /** Logits [B * T * V] the reference computes on an exported folder for token rows. */
  static float[] logits(Path folder, int[][] tokens, Path work) throws Exception {
    Path in = work.resolve("tokens.json");
    Path out = work.resolve("logits.bin");
    Files.writeString(
        in,
        Arrays.deepToString(
            Arrays.stream(tokens).map(r -> Arrays.stream(r).boxed().toArray()).toArray()));
    Process p =
        new ProcessBuilder(
                List.of(
                    interpreter(),
                    SCRIPT.toString(),
                    folder.toString(),
                    in.toString(),
                    out.toString()))
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail("hf_reference.py failed:\n" + log);
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
    float[] f = new float[b.remaining() / 4];
    b.asFloatBuffer().get(f);
    return f;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      fail("logits of " + a.length + " values against " + b.length);
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }
}
