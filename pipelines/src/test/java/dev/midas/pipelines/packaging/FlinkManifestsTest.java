package dev.midas.pipelines.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.midas.pipelines.preprocess.PreprocessCorpusOptions;
import dev.midas.pipelines.primitives.GeneratePrimitivesOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The FlinkDeployments in k8s/flink start classes that exist, with arguments they accept. */
class FlinkManifestsTest {
  private static final Path DIR = Path.of("..", "k8s", "flink");
  private static final Map<String, Class<? extends PipelineOptions>> OPTIONS =
      Map.of(
          "dev.midas.pipelines.preprocess.PreprocessCorpusPipeline", PreprocessCorpusOptions.class,
          "dev.midas.pipelines.primitives.GeneratePrimitivesPipeline",
              GeneratePrimitivesOptions.class);

  private static JsonNode read(String file) throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve(file).toFile());
  }

  @Test
  void eachDeploymentRunsAPipelineOfTheJarWithValidOptionsOnTheFlinkRunner() throws Exception {
    for (String file : List.of("preprocess-brown.yaml", "generate-primitives.yaml")) {
      JsonNode d = read(file);
      assertThat(d.path("kind").asText()).isEqualTo("FlinkDeployment");
      assertThat(d.path("spec").path("flinkVersion").asText()).isEqualTo("v1_19");
      JsonNode job = d.path("spec").path("job");
      assertThat(job.path("jarURI").asText())
          .isEqualTo("local:///opt/flink/usrlib/midas-pipelines.jar");
      String entry = job.path("entryClass").asText();
      assertThat(OPTIONS).containsKey(entry);
      Class.forName(entry).getMethod("main", String[].class);
      List<String> args = new ArrayList<>();
      job.path("args").forEach(a -> args.add(a.asText()));
      PipelineOptions o =
          PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
              .withValidation()
              .as(OPTIONS.get(entry));
      Class<? extends PipelineRunner<?>> runner = o.getRunner();
      assertThat(runner.getSimpleName()).isEqualTo("FlinkRunner");
      assertThat(args).noneMatch(a -> a.toLowerCase().contains("secret"));
    }
  }

  @Test
  void theImageCopiesTheShadedJarWhereTheDeploymentsLookForIt() throws IOException {
    String dockerfile = Files.readString(DIR.resolve("Dockerfile"));
    assertThat(dockerfile)
        .contains("FROM flink:1.19")
        .contains(
            "pipelines/target/midas-pipelines-*-flink.jar /opt/flink/usrlib/midas-pipelines.jar");
    JsonNode kustomization = read("kustomization.yaml");
    List<String> resources = new ArrayList<>();
    kustomization.path("resources").forEach(r -> resources.add(r.asText()));
    assertThat(resources).contains("preprocess-brown.yaml", "generate-primitives.yaml");
    for (String r : resources) {
      assertThat(DIR.resolve(r)).exists();
    }
  }
}
