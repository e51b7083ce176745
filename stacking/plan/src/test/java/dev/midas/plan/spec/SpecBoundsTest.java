package dev.midas.plan.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Specs the stage runner must never see: every numeric field has bounds, and what the fields add up
 * to (tokens per step, parameters, memory) is computed without wrapping around; each problem is a
 * bad spec naming the field.
 */
class SpecBoundsTest {

  private static List<String> problems(ExperimentSpec s) {
    InvalidSpecException e =
        catchThrowableOfType(() -> SpecValidator.resolve("exp", s), InvalidSpecException.class);
    assertThat(e).as("a bad spec").isNotNull();
    return e.violations();
  }

  @Test
  void seqLenOfTwoBillionIsABadSpecNamingTheField() {
    ExperimentSpec s = SpecValidatorTest.minimal();
    s.model.seqLen = 2_000_000_000;

    assertThat(problems(s)).containsExactly("model.seqLen 2000000000 must be at most 131072");
  }

  static Stream<Arguments> absurdFields() {
    return Stream.of(
        field("model.vocabSize", s -> s.model.vocabSize = Integer.MAX_VALUE),
        field("model.dModel", s -> s.model.dModel = 1 << 30),
        field("model.heads", s -> s.model.heads = 1 << 20),
        field("model.ffn", s -> s.model.ffn = Integer.MAX_VALUE),
        field("model.targetLayers", s -> s.model.targetLayers = 1 << 20),
        field("growth.blockSize", s -> s.growth.blockSize = 1 << 20),
        field("growth.lag.steps", s -> s.growth.lag = lag(Long.MAX_VALUE)),
        field(
            "growth.lag.maxParallel",
            s -> {
              s.growth.lag = lag(5L);
              s.growth.lag.maxParallel = 9;
            }),
        field(
            "growth.lag.timeoutSeconds",
            s -> {
              s.growth.lag = lag(5L);
              s.growth.lag.timeoutSeconds = Long.MAX_VALUE;
            }),
        field("schedule.totalSteps", s -> s.schedule.totalSteps = 10_000_000_000L),
        field("schedule.batchSize", s -> s.schedule.batchSize = Integer.MAX_VALUE),
        field("schedule.checkpointEvery", s -> s.schedule.checkpointEvery = Long.MAX_VALUE),
        field("schedule.keepCheckpoints", s -> s.schedule.keepCheckpoints = 1 << 20),
        field("schedule.alpha", s -> s.schedule.alpha = 1e9),
        field("schedule.lr.peak", s -> lr(s).peak = 1e6),
        field("schedule.lr.eps", s -> lr(s).eps = 5.0),
        field("schedule.lr.weightDecay", s -> lr(s).weightDecay = 1e300),
        field("schedule.lr.clipNorm", s -> lr(s).clipNorm = Double.MAX_VALUE),
        field("schedule.lr.warmupSteps", s -> lr(s).warmupSteps = Long.MAX_VALUE),
        field("schedule.lr.rewarmupSteps", s -> lr(s).rewarmupSteps = Long.MAX_VALUE),
        field("evaluation.valBatches", s -> eval(s).valBatches = Integer.MAX_VALUE),
        field("evaluation.shots", s -> eval(s).shots = 1 << 20),
        field("retry.limit", s -> retry(s).limit = Integer.MAX_VALUE),
        field("retry.backoffSeconds", s -> retry(s).backoffSeconds = Long.MAX_VALUE),
        field("resources.gpu", s -> resources(s).gpu = 100_000),
        field("resources.cpu", s -> resources(s).cpu = "100000000"),
        field("resources.memory", s -> resources(s).memory = "99999999999Ei"),
        field("resources.tolerations[0].tolerationSeconds", s -> toleration(s, -5L)),
        field("stageDeadlineSeconds", s -> s.stageDeadlineSeconds = Long.MAX_VALUE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("absurdFields")
  void everyNumericFieldIsBounded(String field, Consumer<ExperimentSpec> breakIt) {
    ExperimentSpec s = SpecValidatorTest.minimal();
    breakIt.accept(s);

    assertThat(problems(s)).anySatisfy(p -> assertThat(p).startsWith(field + " "));
  }

  @Test
  void stageStepsThatWouldWrapAroundWhenAddedAreRefused() {
    ExperimentSpec s = SpecValidatorTest.minimal();
    s.schedule.type = "explicit";
    s.schedule.totalSteps = null;
    s.schedule.stageSteps = List.of(Long.MAX_VALUE, Long.MAX_VALUE, 1L, 1L);

    assertThat(problems(s))
        .contains(
            "schedule.stageSteps[0] 9223372036854775807 must be at most 999999999",
            "schedule.totalSteps 9223372036854775807 must be at most 999999999");
  }

  @Test
  void tooManyStagesForTheRunLayoutAreRefused() {
    ExperimentSpec s = SpecValidatorTest.minimal();
    s.model.targetLayers = 200;
    s.growth.blockSize = 1;
    s.schedule.totalSteps = 100_000L;

    assertThat(problems(s))
        .containsExactly(
            "model.targetLayers 200 / growth.blockSize 1 = 200 stages; at most 99 are allowed");
  }

  @Test
  void tokensPerStepBeyondOneArrayAreRefusedNamingBothFields() {
    ExperimentSpec s = SpecValidatorTest.minimal();
    s.model.seqLen = 131_072;
    s.schedule.batchSize = 65_536;

    assertThat(problems(s))
        .containsExactly(
            "schedule.batchSize 65536 x (model.seqLen 131072 + 1) = 8590000128 tokens per step;"
                + " at most 2147483639 fit one step's batch");
  }

  @Test
  void parameterCountFollowsTheRunnersLayout() {
    // The stage runner's "small" benchmark model: 875,264 parameters by its own count.
    ExperimentSpec s = SpecValidatorTest.minimal();
    s.model.vocabSize = 256;
    s.model.dModel = 128;
    s.model.heads = 4;
    s.model.targetLayers = 4;
    s.model.seqLen = 128;
    ResolvedSpec r = SpecValidator.resolve("exp", s);

    assertThat(SizeRules.parameters(r.model())).isEqualTo(BigInteger.valueOf(875_264));
  }

  @Test
  void tooManyParametersAreRefused() {
    ExperimentSpec s = SpecValidatorTest.minimal();
    s.model.dModel = 65_536;
    s.model.heads = 64;
    s.model.targetLayers = 1024;
    s.growth.blockSize = 16;
    s.schedule.totalSteps = 100_000L;

    assertThat(problems(s))
        .singleElement()
        .satisfies(p -> assertThat(p).startsWith("model.* gives 52777466331136 parameters"));
  }

  @Test
  void memoryBelowWhatTrainingHoldsIsRefusedNamingResourcesMemory() {
    ExperimentSpec s = fourHundredMillionParameters();
    resources(s).memory = "1Gi";

    assertThat(problems(s))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .startsWith("resources.memory 1Gi is less than the ")
                    .contains("GiB a stage at full depth needs at least"));

    resources(s).memory = "64Gi";
    assertThat(SpecValidator.resolve("exp", s).resources().memory()).contains("64Gi");
  }

  @Test
  void onAGpuThePodsMemoryOnlyHoldsACheckpointsHostCopy() {
    ExperimentSpec s = fourHundredMillionParameters();
    resources(s).memory = "5Gi";

    assertThat(problems(s)).singleElement().asString().contains("resources.memory 5Gi");

    resources(s).gpu = 1;
    assertThat(SpecValidator.resolve("exp", s).resources().gpu()).isEqualTo(1);
  }

  /** 24 layers of width 1024 with a 50k vocabulary: 404,744,192 parameters. */
  private static ExperimentSpec fourHundredMillionParameters() {
    ExperimentSpec s = SpecValidatorTest.minimal();
    s.model.dModel = 1024;
    s.model.heads = 16;
    s.model.targetLayers = 24;
    s.growth.blockSize = 4;
    s.model.vocabSize = 50_000;
    return s;
  }

  private static Arguments field(String name, Consumer<ExperimentSpec> breakIt) {
    return Arguments.of(name, breakIt);
  }

  private static LagSpec lag(long steps) {
    LagSpec l = new LagSpec();
    l.candidates = List.of("midas");
    l.steps = steps;
    return l;
  }

  private static LearningRateSpec lr(ExperimentSpec s) {
    if (s.schedule.lr == null) {
      s.schedule.lr = new LearningRateSpec();
    }
    return s.schedule.lr;
  }

  private static EvaluationSpec eval(ExperimentSpec s) {
    if (s.evaluation == null) {
      s.evaluation = new EvaluationSpec();
    }
    return s.evaluation;
  }

  private static RetrySpec retry(ExperimentSpec s) {
    if (s.retry == null) {
      s.retry = new RetrySpec();
    }
    return s.retry;
  }

  private static ResourcesSpec resources(ExperimentSpec s) {
    if (s.resources == null) {
      s.resources = new ResourcesSpec();
    }
    return s.resources;
  }

  private static void toleration(ExperimentSpec s, long seconds) {
    TolerationSpec t = new TolerationSpec();
    t.key = "k";
    t.operator = "Exists";
    t.tolerationSeconds = seconds;
    resources(s).tolerations = List.of(t);
  }
}
