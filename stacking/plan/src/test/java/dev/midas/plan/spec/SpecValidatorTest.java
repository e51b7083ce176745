package dev.midas.plan.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {

  /** A valid midas spec: 8 layers in blocks of 2, 4 stages. */
  static ExperimentSpec minimal() {
    ExperimentSpec s = new ExperimentSpec();
    s.model = new ModelSpec();
    s.model.vocabSize = 256;
    s.model.dModel = 64;
    s.model.heads = 4;
    s.model.targetLayers = 8;
    s.model.seqLen = 32;
    s.growth = new GrowthSpec();
    s.growth.blockSize = 2;
    s.schedule = new ScheduleSpec();
    s.schedule.totalSteps = 100L;
    return s;
  }

  private static List<String> problems(ExperimentSpec s) {
    return catchThrowableOfType(() -> SpecValidator.resolve("exp", s), InvalidSpecException.class)
        .violations();
  }

  @Test
  void appliesDocumentedDefaults() {
    ResolvedSpec r = SpecValidator.resolve("exp", minimal());

    assertThat(r.growth().operator()).isEqualTo(SpecDefaults.GROWTH_OPERATOR);
    assertThat(r.growth().optimizerState()).isEqualTo("copy");
    assertThat(r.model().ffn()).isEqualTo(256);
    assertThat(r.model().norm()).isEqualTo("layernorm");
    assertThat(r.schedule().type()).isEqualTo("prop-alpha");
    assertThat(r.schedule().alpha()).isEqualTo(1.0);
    assertThat(r.schedule().batchSize()).isEqualTo(SpecDefaults.BATCH_SIZE);
    assertThat(r.schedule().lr().warmupSteps()).isEqualTo(5);
    assertThat(r.storage().root()).isEmpty();
    assertThat(r.storage().region()).isEqualTo("us-east-1");
    assertThat(r.retry().limit()).isEqualTo(3);
    assertThat(r.seed()).isEqualTo(SpecDefaults.SEED);
    assertThat(r.numStages()).isEqualTo(4);
    assertThat(r.schedule().stages().stageSteps()).containsExactly(10L, 20L, 30L, 40L);
  }

  @Test
  void everyStageInitialisesItsOutputProjectionsForTheTargetDepthByDefault() {
    ResolvedSpec target = SpecValidator.resolve("exp", minimal());
    ExperimentSpec s = minimal();
    s.model.outputInitDepth = "stage";
    ResolvedSpec stage = SpecValidator.resolve("exp", s);

    assertThat(target.model().config(2).getInitDepth()).isEqualTo(8);
    assertThat(stage.model().config(2).getInitDepth()).isZero();
    assertThat(target.choices().getOutputInitDepth()).isEqualTo("target");
    assertThat(stage.choices().getOutputInitDepth()).isEqualTo("stage");
  }

  @Test
  void theOpenChoicesAreResolvedAndRecordable() {
    ExperimentSpec s = minimal();
    s.growth.midasTie = "right";
    s.schedule.lr = new LearningRateSpec();
    s.schedule.lr.rewarmupSteps = 7L;

    var choices = SpecValidator.resolve("exp", s).choices();

    assertThat(choices.getMidasTie()).isEqualTo("right");
    assertThat(choices.getLrPolicy()).isEqualTo("rewarmup");
    assertThat(choices.getRewarmupSteps()).isEqualTo(7);
    assertThat(SpecValidator.resolve("exp", minimal()).choices().getLrPolicy())
        .isEqualTo("continuous");
    s.growth.midasTie = "middle";
    s.model.outputInitDepth = "deep";
    assertThat(problems(s))
        .contains(
            "growth.midasTie 'middle' is not one of [left, right]",
            "model.outputInitDepth 'deep' is not one of [target, stage]");
  }

  @Test
  void precisionIsOneOfTheNamedWordsOrLeftToTheLineageAndDevice() {
    assertThat(SpecValidator.resolve("exp", minimal()).precision()).isEmpty();
    ExperimentSpec s = minimal();
    s.precision = "bf16-mixed";
    assertThat(SpecValidator.resolve("exp", s).precision()).contains(Precision.BF16_MIXED);
    s.precision = "fp16";
    assertThat(problems(s))
        .anySatisfy(p -> assertThat(p).startsWith("precision ").contains("bf16-mixed"));
    assertThat(Precision.choose(Optional.empty(), Optional.empty(), false))
        .isEqualTo(Precision.FP32);
    assertThat(Precision.choose(Optional.empty(), Optional.empty(), true))
        .isEqualTo(Precision.BF16_MIXED);
    assertThat(Precision.choose(Optional.empty(), Optional.of(Precision.TF32), true))
        .isEqualTo(Precision.TF32);
    assertThat(Precision.choose(Optional.of(Precision.FP32), Optional.of(Precision.TF32), true))
        .isEqualTo(Precision.FP32);
    assertThat(Precision.ofManifest("")).isEqualTo(Precision.FP32);
  }

  @Test
  void theLoopedModelIsOneStageOfOneSharedBlockAtFullDepth() {
    ExperimentSpec s = minimal();
    s.growth.operator = "loop";

    ResolvedSpec r = SpecValidator.resolve("exp", s);

    assertThat(r.numStages()).isEqualTo(1);
    assertThat(r.layersAt(1)).isEqualTo(8);
    assertThat(r.stageConfig(1).getNLayers()).isEqualTo(2);
    assertThat(r.stageConfig(1).getLoop()).isEqualTo(4);
    assertThat(r.stageConfig(1).getInitDepth()).isEqualTo(8);
    s.schedule.loopRegularizer = new LoopRegularizerSpec();
    s.schedule.loopRegularizer.weight = 10.0;
    s.growth.lag = new LagSpec();
    s.growth.lag.candidates = List.of("midas");
    s.growth.lag.steps = 2L;
    assertThat(problems(s))
        .contains(
            "growth.lag needs a growing operator; loop never grows",
            "schedule.loopRegularizer pulls unshared layers together; growth.operator loop already"
                + " shares them");
  }

  @Test
  void theLoopRegularizerTakesItsBlockFromTheGrowthByDefault() {
    ExperimentSpec s = minimal();
    s.schedule.loopRegularizer = new LoopRegularizerSpec();
    s.schedule.loopRegularizer.weight = 10.0;

    ResolvedSpec r = SpecValidator.resolve("exp", s);

    assertThat(r.schedule().loopRegularizer().orElseThrow().blockLayers()).isEqualTo(2);
    assertThat(r.choices().getLoopRegularizer()).isEqualTo(10.0);
    s.schedule.loopRegularizer.weight = null;
    assertThat(problems(s)).contains("schedule.loopRegularizer.weight is required (10 in LOOP)");
  }

  @Test
  void reportsEveryProblemAtOnceInTheUsersTerms() {
    ExperimentSpec s = minimal();
    s.model.targetLayers = 10;
    s.growth.blockSize = 4;
    s.model.heads = 3;
    s.growth.operator = "middle";
    s.schedule.totalSteps = -5L;
    s.storage = new StorageSpec();
    s.storage.root = "gs://bucket/x";

    List<String> problems = problems(s);

    assertThat(problems)
        .contains(
            "model.targetLayers 10 is not a multiple of growth.blockSize 4",
            "model.dModel 64 is not divisible by model.heads 3",
            "growth.operator 'middle' is not one of "
                + "[baseline, midas, gradstack, double, map, random, zero, loop, lag]",
            "schedule.totalSteps -5 must be positive",
            "storage.root 'gs://bucket/x' must be a file:// or s3:// URI");
  }

  @Test
  void missingRequiredFieldsAreNamed() {
    ExperimentSpec s = new ExperimentSpec();

    assertThat(problems(s))
        .contains(
            "model.vocabSize is required",
            "model.dModel is required",
            "model.targetLayers is required",
            "growth.blockSize is required",
            "schedule.totalSteps is required");
  }

  @Test
  void experimentNameMustBeSafeAsAPath() {
    InvalidSpecException e =
        catchThrowableOfType(
            () -> SpecValidator.resolve("My_Exp/../x", minimal()), InvalidSpecException.class);

    assertThat(e.getMessage()).contains("experiment name 'My_Exp/../x' may only hold a-z, 0-9");
    assertThat(SpecValidator.resolve("my-exp-1", minimal()).name()).isEqualTo("my-exp-1");
  }

  @Test
  void baselineIsOneStageAtFullDepthWithAllSteps() {
    ExperimentSpec s = minimal();
    s.growth.operator = "baseline";
    s.growth.blockSize = null;

    ResolvedSpec r = SpecValidator.resolve("base", s);

    assertThat(r.numStages()).isEqualTo(1);
    assertThat(r.layersAt(1)).isEqualTo(8);
    assertThat(r.schedule().stages().steps(1)).isEqualTo(100);
  }

  @Test
  void explicitStepsMustMatchStagesAndTotal() {
    ExperimentSpec s = minimal();
    s.schedule.type = "explicit";
    s.schedule.stageSteps = List.of(10L, 20L, 30L);

    assertThat(problems(s))
        .contains(
            "schedule.stageSteps has 3 entries but the growth gives 4 stages "
                + "(model.targetLayers 8, growth.blockSize 2)");

    s.schedule.stageSteps = List.of(10L, 20L, 30L, 30L);
    assertThat(problems(s))
        .contains("schedule.stageSteps add up to 90, not schedule.totalSteps 100");
  }

  @Test
  void explicitStepsGiveTheTotalWhenItIsLeftOut() {
    ExperimentSpec s = minimal();
    s.schedule.type = "explicit";
    s.schedule.totalSteps = null;
    s.schedule.stageSteps = List.of(1L, 2L, 3L, 4L);

    ResolvedSpec r = SpecValidator.resolve("exp", s);

    assertThat(r.schedule().totalSteps()).isEqualTo(10);
    assertThat(r.schedule().stages().globalStart(4)).isEqualTo(6);
  }

  @Test
  void tooFewStepsForTheStagesIsReported() {
    ExperimentSpec s = minimal();
    s.schedule.totalSteps = 3L;

    assertThat(problems(s))
        .contains("schedule.totalSteps 3 leaves stage 1 of 4 with no steps under prop-alpha 1.0");
  }

  @Test
  void doubleNeedsAPowerOfTwoBlocks() {
    ExperimentSpec s = minimal();
    s.growth.operator = "double";
    s.model.targetLayers = 12;

    assertThat(problems(s))
        .containsExactly(
            "growth.operator double doubles the depth at each stage, so model.targetLayers 12 /"
                + " growth.blockSize 2 = 6 blocks must be a power of two");

    s.model.targetLayers = 8;
    ResolvedSpec r = SpecValidator.resolve("dbl", s);
    assertThat(r.numStages()).isEqualTo(3);
    assertThat(List.of(r.layersAt(1), r.layersAt(2), r.layersAt(3))).containsExactly(2, 4, 8);
  }

  @Test
  void mapOperatorNeedsOneValidSourceListPerGrowth() {
    ExperimentSpec s = minimal();
    s.model.targetLayers = 6;
    s.growth.operator = "map";
    s.growth.map = List.of(List.of(0, 1, 0, 1), List.of(0, 1, 2, 3, 4, 5));

    assertThat(problems(s))
        .containsExactlyInAnyOrder(
            "growth.map[1][4] = 4 is not a layer of stage 2 (0..3)",
            "growth.map[1][5] = 5 is not a layer of stage 2 (0..3)");

    s.growth.map = List.of(List.of(0, 1, 0, 1), List.of(0, 1, 2, 3, 2, 3));
    assertThat(SpecValidator.resolve("map", s).growth().map()).hasSize(2);
  }

  @Test
  void lagCandidatesAreCheckedAgainstTheAllowedList() {
    ExperimentSpec s = minimal();
    s.growth.lag = new LagSpec();
    s.growth.lag.candidates = List.of("midas", "best");

    assertThat(problems(s))
        .contains(
            "growth.lag.candidates 'best' is not one of [midas, gradstack, random, zero, duplicate]"
                + " or duplicate-<j>",
            "growth.lag.steps is required with growth.lag");
  }

  @Test
  void lagAnalysisStageMustBeAGrowthOfALagRunAndOtherRunsIgnoreIt() {
    ExperimentSpec s = minimal();
    s.growth.operator = "lag";
    s.evaluation = new EvaluationSpec();
    s.evaluation.lagAnalysisStage = 1;
    assertThat(problems(s))
        .contains("evaluation.lagAnalysisStage 1 is not a stage that starts with a growth (2..4)");
    s.evaluation.lagAnalysisStage = 5;
    assertThat(problems(s))
        .contains("evaluation.lagAnalysisStage 5 is not a stage that starts with a growth (2..4)");

    s.evaluation.lagAnalysisStage = 3;
    assertThat(SpecValidator.resolve("lag", s).evaluation().lagAnalysisStage()).isEqualTo(3);
    // A sweep's template asks it of every run; those that do not grow by LAG ignore it.
    s.growth.operator = "midas";
    s.evaluation.lagAnalysisStage = 9;
    assertThat(SpecValidator.resolve("midas", s).evaluation().lagAnalysisStage()).isEqualTo(9);
  }

  @Test
  void rotaryNeedsEvenHeadSize() {
    ExperimentSpec s = minimal();
    s.model.dModel = 12;
    s.model.heads = 4;
    s.model.positions = "rotary";

    assertThat(problems(s))
        .contains(
            "model.positions rotary needs an even head size, but model.dModel 12 / model.heads 4"
                + " = 3");
  }

  @Test
  void storageAndResourcesAreChecked() {
    ExperimentSpec s = minimal();
    s.storage = new StorageSpec();
    s.storage.root = "s3:///prefix";
    s.storage.endpoint = "ftp://minio:9000";
    s.resources = new dev.midas.plan.spec.ResourcesSpec();
    s.resources.memory = "8 gigs";
    s.resources.gpu = -1;

    assertThat(problems(s))
        .contains(
            "storage.root 's3:///prefix' names no bucket (s3://bucket/prefix)",
            "storage.endpoint 'ftp://minio:9000' must be an http:// or https:// URL",
            "resources.memory '8 gigs' is not a Kubernetes quantity (e.g. 2, 500m, 8Gi)",
            "resources.gpu -1 must not be negative");
  }

  @Test
  void endpointImpliesPathStyleUnlessSaidOtherwise() {
    ExperimentSpec s = minimal();
    s.storage = new StorageSpec();
    s.storage.root = "s3://bucket/runs";
    s.storage.endpoint = "http://localhost:9000";

    assertThat(SpecValidator.resolve("exp", s).storage().pathStyle()).isTrue();

    s.storage.pathStyle = false;
    assertThat(SpecValidator.resolve("exp", s).storage().pathStyle()).isFalse();
  }

  @Test
  void resolvedSpecIsImmutable() {
    ExperimentSpec s = minimal();
    s.evaluation = new EvaluationSpec();
    s.evaluation.tasks = new java.util.ArrayList<>(List.of("psm"));

    ResolvedSpec r = SpecValidator.resolve("exp", s);
    s.evaluation.tasks.add("late");

    assertThat(r.evaluation().tasks()).containsExactly("psm");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.evaluation().tasks().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
