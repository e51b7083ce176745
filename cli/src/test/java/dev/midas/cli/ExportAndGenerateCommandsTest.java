package dev.midas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.ModelConfig;
import dev.midas.stacking.trained.TestingTrainedRuns;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code midas export} and {@code midas generate} as a user runs them: output and exit codes. */
class ExportAndGenerateCommandsTest {
  @TempDir Path dir;
  private Path root;
  private URI gpt2;

  record Run(int code, String out, String err) {}

  private static Run midas(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    StringWriter picoErr = new StringWriter();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      CommandLine cmd = Midas.commandLine();
      cmd.setErr(new PrintWriter(picoErr, true));
      int code = cmd.execute(args);
      return new Run(
          code,
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8) + picoErr);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private URI checkpoint(String norm, String positions, long step) throws Exception {
    ModelConfig c = TestingTrainedRuns.model(norm, positions, "gelu", false);
    NamedTensors params = TestingTrainedRuns.params(c, 4);
    return TestingTrainedRuns.checkpoint(
        root, c, params, CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL, step);
  }

  @BeforeEach
  void run() throws Exception {
    root = dir.resolve("store");
    TestingTrainedRuns.writeRun(root);
    gpt2 = checkpoint("layernorm", "learned", 8);
  }

  @Test
  void exportsAFolderAndSaysWhatItWrote() {
    Run r = midas("export", gpt2.toString(), "--to", dir.resolve("hf").toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("GPT2LMHeadModel").contains("model.safetensors");
    assertThat(dir.resolve("hf/model.safetensors")).isRegularFile();
  }

  @Test
  void generatesTheSameTextForTheSameSeedAndReportsWhyItStopped() {
    String[] args = {
      "generate",
      gpt2.toString(),
      "--prompt",
      "w1 w2",
      "--max-tokens",
      "6",
      "--temperature",
      "1.0",
      "--seed",
      "4"
    };
    Run a = midas(args);
    Run b = midas(args);

    assertThat(a.code()).as(a.err()).isZero();
    assertThat(a.out()).startsWith("w1 w2").isEqualTo(b.out());
    assertThat(a.err())
        .containsPattern("\\(\\d+ new tokens, (stopped at end-of-text|--max-tokens reached)\\)");
  }

  @Test
  void continuesEveryPromptOfAPromptFile() throws Exception {
    Path prompts = Files.writeString(dir.resolve("prompts.txt"), "w1 w2\n\nw5\n");
    Run r =
        midas(
            "generate", gpt2.toString(), "--prompt-file", prompts.toString(), "--max-tokens", "3");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("w1 w2").contains("\n\nw5");
    assertThat(r.err().lines().filter(l -> l.contains("new tokens"))).hasSize(2);
  }

  @Test
  void aBadUriIsBadInput() {
    Run r = midas("export", "ftp://host/MANIFEST", "--to", dir.resolve("hf").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("midas: ftp://host/MANIFEST has scheme ftp");

    Run g = midas("generate", root.toUri() + "data/toy/v1/MANIFEST", "--prompt", "w1");
    assertThat(g.code()).isEqualTo(2);
    assertThat(g.err()).contains("is not a checkpoint MANIFEST");
  }

  @Test
  void aCorruptCheckpointIsCorruptInputAndExportsNothing() throws Exception {
    try (RandomAccessFile f =
        new RandomAccessFile(Path.of(gpt2).resolveSibling("params.bin").toFile(), "rw")) {
      f.setLength(f.length() - 4);
    }
    Run r = midas("export", gpt2.toString(), "--to", dir.resolve("hf").toString());

    assertThat(r.code()).isEqualTo(7);
    assertThat(r.err()).contains("params.bin is truncated");
    assertThat(dir.resolve("hf")).doesNotExist();
    assertThat(midas("generate", gpt2.toString(), "--prompt", "w1").code()).isEqualTo(7);
  }

  @Test
  void anArchitectureNoFormatExpressesIsBadInputNamingTheField() throws Exception {
    URI rotaryLayerNorm = checkpoint("layernorm", "rotary", 12);
    Run r = midas("export", rotaryLayerNorm.toString(), "--to", dir.resolve("hf").toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("norm 'layernorm' with positions 'rotary'");
    assertThat(dir.resolve("hf")).doesNotExist();
  }
}
