package dev.midas.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.midas.operator.testing.MalformedExperiments;
import dev.midas.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The CEL rules in the committed CRD, compiled and evaluated with Google's CEL for Java on the
 * whole object as the API server sees it: every valid example passes all of them, and every
 * malformed experiment CEL can judge breaks at least one, with a message naming the field.
 */
class CelRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .addVar("oldSelf", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
  static final List<String> CAUGHT = MalformedExperiments.CAUGHT_BY_CEL;
  static List<ValidationRule> rules;

  @BeforeAll
  static void loadRules() throws Exception {
    CustomResourceDefinition crd =
        Serialization.unmarshal(
            Files.readString(Path.of("..", "k8s", "crds", "stackingexperiments.midas.dev-v1.yml")),
            CustomResourceDefinition.class);
    rules =
        crd.getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema()
            .getXKubernetesValidations();
    assertThat(rules).hasSizeGreaterThanOrEqualTo(15);
  }

  @Test
  void validExperimentsPassEveryRule() throws Exception {
    for (StackingExperiment e :
        List.of(
            OperatorHarness.experiment("/experiments/three-stage.yaml", "ns", "ok"),
            Serialization.unmarshal(
                Files.readString(Path.of("..", "k8s", "examples", "experiment.yaml")),
                StackingExperiment.class))) {
      assertThat(broken(e)).as(e.getMetadata().getName()).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("CAUGHT")
  void malformedExperimentBreaksARuleNamingTheField(String name) throws Exception {
    MalformedExperiments.Case c =
        MalformedExperiments.CASES.stream()
            .filter(x -> x.name().equals(name))
            .findFirst()
            .orElseThrow();
    StackingExperiment e = OperatorHarness.experiment("/experiments/three-stage.yaml", "ns", name);
    c.breakIt().accept(e.getSpec());

    List<String> messages = broken(e);

    assertThat(messages).isNotEmpty();
    String field = c.problem().replaceAll("^.*?([a-z]+\\.[a-zA-Z]+).*$", "$1");
    assertThat(String.join("\n", messages)).contains(field.contains(".") ? field : "spec.");
  }

  @Test
  void specIsImmutableAfterCreationExceptSuspendAndRestartNonce() throws Exception {
    StackingExperiment old = OperatorHarness.experiment("/experiments/three-stage.yaml", "ns", "x");

    StackingExperiment paused = Serialization.clone(old);
    paused.getSpec().suspend = true;
    paused.getSpec().restartNonce = "again";
    assertThat(brokenOnUpdate(old, paused)).isEmpty();

    StackingExperiment wider = Serialization.clone(old);
    wider.getSpec().model.dModel = 64;
    assertThat(brokenOnUpdate(old, wider))
        .containsExactly(StackingExperiment.IMMUTABLE_SPEC_MESSAGE);

    StackingExperiment withDeadline = Serialization.clone(old);
    withDeadline.getSpec().stageDeadlineSeconds = 60L;
    assertThat(brokenOnUpdate(old, withDeadline))
        .containsExactly(StackingExperiment.IMMUTABLE_SPEC_MESSAGE);
    assertThat(brokenOnUpdate(withDeadline, old))
        .as("removing a field is a change too")
        .containsExactly(StackingExperiment.IMMUTABLE_SPEC_MESSAGE);
  }

  @Test
  void namesThatCannotBeLabelsBreakTheNameRule() throws Exception {
    for (String name : List.of("a".repeat(64), "My_Exp", "-lead")) {
      StackingExperiment e = OperatorHarness.experiment("/experiments/three-stage.yaml", "ns", "x");
      e.getMetadata().setName(name);
      assertThat(broken(e)).as(name).anySatisfy(m -> assertThat(m).startsWith("metadata.name"));
    }
  }

  /** Messages of the rules an update from {@code old} to {@code now} breaks. */
  private static List<String> brokenOnUpdate(StackingExperiment old, StackingExperiment now)
      throws Exception {
    Object self = longs(JSON.readValue(Serialization.asJson(now), Map.class));
    Object oldSelf = longs(JSON.readValue(Serialization.asJson(old), Map.class));
    List<String> out = new ArrayList<>();
    for (ValidationRule r : rules) {
      CelAbstractSyntaxTree ast = COMPILER.compile(r.getRule()).getAst();
      Object ok = RUNTIME.createProgram(ast).eval(Map.of("self", self, "oldSelf", oldSelf));
      if (!Boolean.TRUE.equals(ok)) {
        out.add(r.getMessage());
      }
    }
    return out;
  }

  /** Messages of the rules {@code e} breaks on creation (transition rules only run on updates). */
  private static List<String> broken(StackingExperiment e) throws Exception {
    Object self = longs(JSON.readValue(Serialization.asJson(e), Map.class));
    List<String> out = new ArrayList<>();
    for (ValidationRule r : rules) {
      if (r.getRule().contains("oldSelf")) {
        continue;
      }
      CelAbstractSyntaxTree ast = COMPILER.compile(r.getRule()).getAst();
      Object ok = RUNTIME.createProgram(ast).eval(Map.of("self", self));
      if (!Boolean.TRUE.equals(ok)) {
        out.add(r.getMessage());
      }
    }
    return out;
  }

  /** JSON integers as CEL ints (Java longs), recursively. */
  private static Object longs(Object v) {
    if (v instanceof Integer i) {
      return i.longValue();
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put((String) k, longs(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(CelRulesTest::longs).toList();
    }
    return v;
  }
}
