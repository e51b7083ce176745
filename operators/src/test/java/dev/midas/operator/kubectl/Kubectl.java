package dev.midas.operator.kubectl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Finds Debian's kubectl, installing it with apt-get when it is missing and this user may. */
final class Kubectl {
  private static String why = "";

  private Kubectl() {}

  static String find() {
    for (String p : new String[] {"/usr/bin/kubectl", "/usr/local/bin/kubectl"}) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      why = "kubectl is not installed and there is no apt-get to install it";
      return null;
    }
    try {
      Process p =
          new ProcessBuilder("apt-get", "install", "-y", "-q", "kubectl")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor(300, TimeUnit.SECONDS)
          && p.exitValue() == 0
          && Files.isExecutable(Path.of("/usr/bin/kubectl"))) {
        return "/usr/bin/kubectl";
      }
      why = "kubectl is not installed and 'apt-get install kubectl' failed: " + out;
    } catch (IOException | InterruptedException e) {
      why = "kubectl is not installed and apt-get could not run: " + e.getMessage();
    }
    System.err.println("SKIPPED kubectl test: " + why);
    return null;
  }

  static String whyMissing() {
    return why;
  }
}
