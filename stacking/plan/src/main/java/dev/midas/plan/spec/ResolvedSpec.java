package dev.midas.plan.spec;

import dev.midas.plan.schedule.StageDepths;
import dev.midas.plan.schedule.StageSchedule;
import dev.midas.proto.ModelConfig;
import dev.midas.proto.TrainingChoices;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An experiment spec after validation: every default applied (see {@link SpecDefaults}), every
 * value checked, immutable. {@code precision} is empty when the spec names none: the stage picks it
 * from the lineage or the device ({@link Precision#choose}). The operator, the local runner and the
 * stage runner all work from this, never from the raw {@link ExperimentSpec}.
 */
public record ResolvedSpec(
    String name,
    Model model,
    Growth growth,
    Schedule schedule,
    Data data,
    Evaluation evaluation,
    Storage storage,
    Resources resources,
    Retry retry,
    long seed,
    boolean suspend,
    String restartNonce,
    Optional<Long> stageDeadlineSeconds,
    Optional<Precision> precision) {

  /** Transformer shape at full depth. */
  public record Model(
      int vocabSize,
      int dModel,
      int heads,
      int ffn,
      int targetLayers,
      int seqLen,
      String norm,
      String activation,
      String positions,
      boolean tieEmbeddings,
      String outputInitDepth) {

    /**
     * The shape of this model at {@code layers} layers, as every checkpoint records it, with the
     * depth its output projections are initialised for ({@code outputInitDepth}).
     */
    public ModelConfig config(int layers) {
      return ModelConfig.newBuilder()
          .setVocabSize(vocabSize)
          .setDModel(dModel)
          .setNHeads(heads)
          .setDFf(ffn)
          .setNLayers(layers)
          .setSeqLen(seqLen)
          .setNorm(norm)
          .setActivation(activation)
          .setPositions(positions)
          .setTieEmbeddings(tieEmbeddings)
          .setInitDepth("target".equals(outputInitDepth) ? targetLayers : 0)
          .build();
    }
  }

  /**
   * Growth between stages; {@code map.get(i - 1)} is the source list at the boundary from stage i.
   */
  public record Growth(
      String operator,
      int blockSize,
      String optimizerState,
      List<List<Integer>> map,
      Optional<Lag> lag,
      String midasTie) {
    public Growth {
      map = map.stream().map(List::copyOf).toList();
    }

    /**
     * The operator the stage runner grows each stage's final checkpoint with: the spec's, or midas
     * for operator lag, whose growth LAG chooses from the final checkpoint instead (the grown
     * checkpoint then only keeps the stage state machine's shape).
     */
    public String grower() {
      return AllowedValues.LAG.equals(operator) ? AllowedValues.MIDAS : operator;
    }
  }

  /**
   * LAG selection: candidates tried for {@code steps} steps at each growth point, at most {@code
   * maxParallel} at once, each Job with {@code timeoutSeconds} as its deadline when given.
   */
  public record Lag(
      List<String> candidates, long steps, int maxParallel, Optional<Long> timeoutSeconds) {
    public Lag {
      candidates = List.copyOf(candidates);
    }
  }

  /** Steps and optimisation; {@code stages} holds the steps of every stage. */
  public record Schedule(
      String type,
      double alpha,
      long totalSteps,
      int batchSize,
      long checkpointEvery,
      int keepCheckpoints,
      LearningRate lr,
      StageSchedule stages,
      Optional<LoopRegularizer> loopRegularizer) {}

  /** LOOP's regulariser: {@code weight} (lambda) over blocks of {@code blockLayers} layers. */
  public record LoopRegularizer(double weight, int blockLayers) {}

  /** AdamW with warmup and cosine decay over the global step. */
  public record LearningRate(
      double peak,
      long warmupSteps,
      double minRatio,
      long rewarmupSteps,
      double weightDecay,
      double beta1,
      double beta2,
      double eps,
      double clipNorm) {}

  /** Dataset and primitives manifest URIs, when given. */
  public record Data(Optional<String> dataset, Optional<String> primitives) {}

  /** What to evaluate after each stage. */
  /**
   * How the run is measured.
   *
   * @param requested whether the spec has an {@code evaluation} section: the run is then evaluated
   *     and reported after its last stage (and after each stage with {@code everyStage})
   */
  public record Evaluation(
      int valBatches,
      List<String> tasks,
      int shots,
      boolean finetune,
      int evalPerTask,
      int finetuneExamples,
      int finetuneSeeds,
      int finetuneSteps,
      int analysisTokens,
      boolean everyStage,
      boolean requested,
      int lagAnalysisStage) {
    public Evaluation {
      tasks = List.copyOf(tasks);
    }

    /** Whether the run is evaluated after stage {@code stage} of {@code numStages}. */
    public boolean after(int stage, int numStages) {
      return requested && (stage == numStages || (everyStage && stage >= 1 && stage < numStages));
    }
  }

  /** Where artifacts go; the root is chosen by the runner or operator when the spec has none. */
  public record Storage(
      Optional<String> root,
      Optional<String> endpoint,
      String region,
      boolean pathStyle,
      Optional<String> secretRef) {}

  /** What each stage pod gets; only the operator reads this. */
  public record Resources(
      Optional<String> image,
      int gpu,
      Optional<String> cpu,
      Optional<String> memory,
      Map<String, String> nodeSelector,
      List<Toleration> tolerations,
      Optional<String> priorityClassName,
      Optional<String> queue) {
    public Resources {
      nodeSelector = Map.copyOf(nodeSelector);
      tolerations = List.copyOf(tolerations);
    }
  }

  /** A pod toleration, as written. */
  public record Toleration(
      String key, String operator, String value, String effect, Long tolerationSeconds) {}

  /** Retries of a failed stage, each resuming from its latest checkpoint. */
  public record Retry(int limit, long backoffSeconds) {}

  /** The open choices every checkpoint of this experiment records. */
  public TrainingChoices choices() {
    long rewarmup = schedule.lr().rewarmupSteps();
    return TrainingChoices.newBuilder()
        .setOutputInitDepth(model.outputInitDepth())
        .setLrPolicy(rewarmup > 0 ? "rewarmup" : "continuous")
        .setRewarmupSteps(rewarmup)
        .setMidasTie(growth.midasTie())
        .setLoopRegularizer(schedule.loopRegularizer().map(LoopRegularizer::weight).orElse(0.0))
        .setLoopRegularizerBlock(
            schedule.loopRegularizer().map(LoopRegularizer::blockLayers).orElse(0))
        .build();
  }

  public boolean isBaseline() {
    return AllowedValues.BASELINE.equals(growth.operator());
  }

  /** Whether this is the looped model: one shared block applied over and over, never grown. */
  public boolean isLoop() {
    return AllowedValues.LOOP.equals(growth.operator());
  }

  /**
   * The model stage {@code stage} trains, as its checkpoints record it: {@code layersAt(stage)}
   * layers, or for the looped model one block of {@code blockSize} layers applied {@code
   * targetLayers / blockSize} times.
   */
  public ModelConfig stageConfig(int stage) {
    if (isLoop()) {
      int block = growth.blockSize();
      return model.config(block).toBuilder().setLoop(model.targetLayers() / block).build();
    }
    return model.config(layersAt(stage));
  }

  /** Depth of every stage. */
  public StageDepths depths() {
    return depths(model, growth);
  }

  /**
   * Depth of every stage for a model and growth.
   *
   * @throws IllegalArgumentException when the target depth is no multiple of the block size (or no
   *     power-of-two multiple, for {@code double})
   */
  public static StageDepths depths(Model model, Growth growth) {
    StageDepths.Progression p =
        AllowedValues.BASELINE.equals(growth.operator())
                || AllowedValues.LOOP.equals(growth.operator())
            ? StageDepths.Progression.SINGLE
            : AllowedValues.DOUBLE.equals(growth.operator())
                ? StageDepths.Progression.DOUBLE
                : StageDepths.Progression.ADD_BLOCK;
    return new StageDepths(growth.blockSize(), model.targetLayers(), p);
  }

  public int numStages() {
    return schedule.stages().numStages();
  }

  /** Layers trained in 1-based stage {@code stage}. */
  public int layersAt(int stage) {
    return depths().layers(stage);
  }
}
