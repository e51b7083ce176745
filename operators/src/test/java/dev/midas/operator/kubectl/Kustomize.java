package dev.midas.operator.kubectl;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Renders a kustomization with {@code kubectl kustomize}, as {@code kubectl apply -k} would. */
public final class Kustomize {
  private Kustomize() {}

  /** Every object {@code kubectl kustomize dir} prints. */
  public static List<HasMetadata> render(Path dir) {
    String kubectl = Kubectl.find();
    if (kubectl == null) {
      throw new AssertionError("cannot render " + dir + ": " + Kubectl.whyMissing());
    }
    try {
      Process p =
          new ProcessBuilder(kubectl, "kustomize", dir.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("kubectl kustomize " + dir + " failed:\n" + out);
      }
      List<HasMetadata> objects = new ArrayList<>();
      for (String doc : out.split("(?m)^---$")) {
        if (!doc.isBlank()) {
          objects.add((HasMetadata) Serialization.unmarshal(doc));
        }
      }
      return objects;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("kubectl kustomize " + dir + " could not run", e);
    }
  }
}
