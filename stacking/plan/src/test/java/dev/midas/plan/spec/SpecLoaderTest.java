package dev.midas.plan.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SpecLoaderTest {

  private static Path resource(String name) throws Exception {
    return Path.of(SpecLoaderTest.class.getResource("/specs/" + name).toURI());
  }

  @Test
  void readsBareYamlSpec() throws Exception {
    SpecDocument doc = SpecLoader.load(resource("tiny-midas.yaml"));

    assertThat(doc.name()).isEmpty();
    assertThat(doc.spec().model.dModel).isEqualTo(32);
    assertThat(doc.spec().growth.operator).isEqualTo("midas");
    assertThat(doc.spec().schedule.totalSteps).isEqualTo(30L);
    assertThat(doc.spec().seed).isEqualTo(7L);
  }

  @Test
  void readsWholeCustomResourceTakingNameAndUidFromMetadata() throws Exception {
    SpecDocument doc = SpecLoader.load(resource("tiny-resource.yaml"));

    assertThat(doc.name()).contains("tiny-cr");
    assertThat(doc.uid()).contains("3f1c2a9e-0000-4000-8000-00000000abcd");
    assertThat(doc.spec().schedule.stageSteps).containsExactly(5L, 10L, 15L);
  }

  @Test
  void readsJsonToo() {
    SpecDocument doc =
        SpecLoader.parse("{\"model\": {\"dModel\": 64, \"heads\": 2}, \"seed\": 3}", "inline");

    assertThat(doc.spec().model.dModel).isEqualTo(64);
    assertThat(doc.spec().seed).isEqualTo(3L);
  }

  @Test
  void unknownFieldIsAnErrorNamingItsPath() {
    assertThatThrownBy(() -> SpecLoader.parse("model:\n  dModle: 64\n", "x.yaml"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("unknown field model.dModle")
        .hasMessageContaining("dModel");
  }

  @Test
  void unknownFieldInsideResourceSpecNamesSpecPath() {
    String cr = "kind: StackingExperiment\nspec:\n  growth:\n    blocksize: 2\n";
    assertThatThrownBy(() -> SpecLoader.parse(cr, "cr.yaml"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("unknown field spec.growth.blocksize");
  }

  @Test
  void unknownTopLevelFieldOfResourceIsAnError() {
    String cr = "kind: StackingExperiment\nspek: {}\nspec: {}\n";
    assertThatThrownBy(() -> SpecLoader.parse(cr, "cr.yaml"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("unknown field 'spek'");
  }

  @Test
  void resourceOfAnotherKindIsRefused() {
    String cr = "kind: StackingSweep\nspec: {}\n";
    assertThatThrownBy(() -> SpecLoader.parse(cr, "cr.yaml"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("kind 'StackingSweep', expected StackingExperiment");
  }

  @Test
  void fractionalNumberForAnIntegerFieldIsRefused() {
    assertThatThrownBy(() -> SpecLoader.parse("model:\n  heads: 2.5\n", "x.yaml"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("model.heads in x.yaml must be a whole number");
  }

  @Test
  void wrongShapeNamesWhatWasExpected() {
    assertThatThrownBy(() -> SpecLoader.parse("schedule:\n  stageSteps: 5\n", "x.yaml"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("schedule.stageSteps in x.yaml must be a list");
  }

  @Test
  void duplicateKeyIsRefused() {
    assertThatThrownBy(() -> SpecLoader.parse("seed: 1\nseed: 2\n", "x.yaml"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("seed");
  }

  @Test
  void brokenYamlNamesTheSource() {
    assertThatThrownBy(() -> SpecLoader.parse("model: [\n", "broken.yaml"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("broken.yaml is not valid YAML or JSON");
  }

  @Test
  void specSurvivesJsonRoundTrip() throws Exception {
    SpecDocument doc = SpecLoader.load(resource("tiny-midas.yaml"));

    SpecDocument again = SpecLoader.parse(SpecLoader.toJson(doc.spec()), "frozen");

    assertThat(SpecLoader.toJson(again.spec())).isEqualTo(SpecLoader.toJson(doc.spec()));
    assertThat(again.spec().model.targetLayers).isEqualTo(4);
  }
}
