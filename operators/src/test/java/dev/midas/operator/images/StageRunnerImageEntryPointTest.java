package dev.midas.operator.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The stage-runner image's entry point (main class and JVM flags read from its Jib definition in
 * {@code k8s/images/stage-runner/pom.xml}) starts on the CPU flavour's classpath: DJL's CPU natives
 * and the stacking core, here from this module's test classpath, which holds them. The CUDA flavour
 * differs only by its natives jar and is not started here (no GPU, 2.4 GB of natives).
 */
class StageRunnerImageEntryPointTest {
  private static final Path POM = Path.of("..", "k8s", "images", "stage-runner", "pom.xml");

  @Test
  void cpuFlavourEntryPointStartsAndKnowsTheStageContract() throws Exception {
    String pom = Files.readString(POM);
    String mainClass = one(pom, "<stage.mainClass>([^<]+)</stage.mainClass>");
    List<String> cmd =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    Matcher flags = Pattern.compile("<jvmFlag>([^<]+)</jvmFlag>").matcher(pom);
    while (flags.find()) {
      cmd.add(flags.group(1));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass, "--help"));

    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).as(out).isZero();
    assertThat(cmd).contains("-Dai.djl.offline=true");
    assertThat(out).contains("--stage", "--root", "--init", "--resume", "--lag-steps");
  }

  private static String one(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as(regex).isTrue();
    return m.group(1);
  }
}
