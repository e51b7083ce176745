package dev.midas.plan.spec;

import dev.midas.plan.layout.SafeNames;
import dev.midas.plan.schedule.StageDepths;
import java.util.List;
import java.util.Optional;

/**
 * Turns what a user wrote into a {@link ResolvedSpec}: applies {@link SpecDefaults}, checks every
 * rule, and throws one {@link InvalidSpecException} listing every problem, each in the user's terms
 * ("model.targetLayers 10 is not a multiple of growth.blockSize 4"). Pure: the same spec always
 * gives the same answer, so the operator and the stage runner agree.
 */
public final class SpecValidator {
  private SpecValidator() {}

  /** Validates a loaded document; {@code fallbackName} names a bare spec that carries no name. */
  public static ResolvedSpec resolve(SpecDocument doc, String fallbackName) {
    return resolve(doc.name().orElse(fallbackName), doc.spec());
  }

  /**
   * Validates {@code spec} for the experiment {@code name}.
   *
   * @throws InvalidSpecException listing every problem found
   */
  public static ResolvedSpec resolve(String name, ExperimentSpec spec) {
    Violations v = new Violations();
    String nameProblem = SafeNames.problem("experiment name", name);
    if (nameProblem != null) {
      v.add(nameProblem);
    }
    if (spec == null) {
      v.add("spec is empty");
      v.throwIfAny();
    }
    ResolvedSpec.Model model = model(v, spec.model == null ? new ModelSpec() : spec.model);
    ResolvedSpec.Growth growth =
        GrowthRules.resolve(v, spec.growth == null ? new GrowthSpec() : spec.growth, model);
    StageDepths depths = depthsOrNull(model, growth);
    ResolvedSpec.Schedule schedule =
        ScheduleRules.resolve(
            v, spec.schedule == null ? new ScheduleSpec() : spec.schedule, depths, growth);
    growth = GrowthRules.withLagDefaults(growth, schedule);
    int lagStage = evaluationLagStage(spec);
    // Runs that do not grow by LAG have nothing to analyse (a sweep's template asks its LAG runs).
    if (lagStage != 0
        && growth.lag().isPresent()
        && (lagStage < 2 || lagStage > schedule.stages().numStages())) {
      v.add(
          "evaluation.lagAnalysisStage "
              + lagStage
              + " is not a stage that starts with a growth (2.."
              + schedule.stages().numStages()
              + ")");
    }
    ResolvedSpec.Data data = PlacementRules.data(v, spec.data);
    ResolvedSpec.Evaluation evaluation = PlacementRules.evaluation(v, spec.evaluation);
    ResolvedSpec.Storage storage = PlacementRules.storage(v, spec.storage);
    ResolvedSpec.Resources resources = PlacementRules.resources(v, spec.resources);
    ResolvedSpec.Retry retry = PlacementRules.retry(v, spec.retry);
    long deadline =
        v.positive(
            "stageDeadlineSeconds",
            spec.stageDeadlineSeconds,
            0L,
            SpecBounds.MAX_STAGE_DEADLINE_SECONDS);
    if (v.isEmpty()) {
      SizeRules.check(v, model, schedule, resources);
    }
    String precision = v.oneOf("precision", spec.precision, Precision.words(), null);
    v.throwIfAny();
    return new ResolvedSpec(
        name,
        model,
        growth,
        schedule,
        data,
        evaluation,
        storage,
        resources,
        retry,
        spec.seed == null ? SpecDefaults.SEED : spec.seed,
        Boolean.TRUE.equals(spec.suspend),
        spec.restartNonce == null ? "" : spec.restartNonce,
        spec.stageDeadlineSeconds == null ? Optional.empty() : Optional.of(deadline),
        Optional.ofNullable(precision).map(Precision::parse));
  }

  private static ResolvedSpec.Model model(Violations v, ModelSpec m) {
    int vocab = v.requiredPositive("model.vocabSize", m.vocabSize, SpecBounds.MAX_VOCAB_SIZE);
    int dModel = v.requiredPositive("model.dModel", m.dModel, SpecBounds.MAX_D_MODEL);
    int heads = v.requiredPositive("model.heads", m.heads, SpecBounds.MAX_HEADS);
    int layers =
        v.requiredPositive("model.targetLayers", m.targetLayers, SpecBounds.MAX_TARGET_LAYERS);
    int seqLen = v.requiredPositive("model.seqLen", m.seqLen, SpecBounds.MAX_SEQ_LEN);
    int ffn =
        v.positive("model.ffn", m.ffn, SpecDefaults.FFN_MULTIPLE * dModel, SpecBounds.MAX_FFN);
    if (dModel % heads != 0) {
      v.add("model.dModel " + dModel + " is not divisible by model.heads " + heads);
    }
    String positions =
        v.oneOf("model.positions", m.positions, AllowedValues.POSITIONS, SpecDefaults.POSITIONS);
    if ("rotary".equals(positions) && dModel % heads == 0 && (dModel / heads) % 2 != 0) {
      v.add(
          "model.positions rotary needs an even head size, but model.dModel "
              + dModel
              + " / model.heads "
              + heads
              + " = "
              + dModel / heads);
    }
    return new ResolvedSpec.Model(
        vocab,
        dModel,
        heads,
        ffn,
        layers,
        seqLen,
        v.oneOf("model.norm", m.norm, AllowedValues.NORMS, SpecDefaults.NORM),
        v.oneOf(
            "model.activation", m.activation, AllowedValues.ACTIVATIONS, SpecDefaults.ACTIVATION),
        positions,
        m.tieEmbeddings == null ? SpecDefaults.TIE_EMBEDDINGS : m.tieEmbeddings,
        v.oneOf(
            "model.outputInitDepth",
            m.outputInitDepth,
            AllowedValues.OUTPUT_INIT_DEPTH,
            SpecDefaults.OUTPUT_INIT_DEPTH));
  }

  private static int evaluationLagStage(ExperimentSpec spec) {
    return spec.evaluation == null || spec.evaluation.lagAnalysisStage == null
        ? 0
        : spec.evaluation.lagAnalysisStage;
  }

  /** The stage depths, or null when model and growth disagree (already reported). */
  private static StageDepths depthsOrNull(ResolvedSpec.Model model, ResolvedSpec.Growth growth) {
    try {
      return ResolvedSpec.depths(model, growth);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static List<String> nonBlank(Violations v, String path, List<String> values) {
    if (values == null) {
      return List.of();
    }
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null || values.get(i).isBlank()) {
        v.add(path + "[" + i + "] is empty");
      }
    }
    return values.stream().filter(s -> s != null && !s.isBlank()).toList();
  }
}
