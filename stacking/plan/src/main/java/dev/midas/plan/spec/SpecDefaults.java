package dev.midas.plan.spec;

/**
 * The defaults validation applies to fields a spec leaves out, in one place (the README's spec
 * section lists the same). Required, with no default: {@code model.vocabSize, dModel, heads,
 * targetLayers, seqLen}, {@code schedule.totalSteps} (unless {@code explicit} stage steps give it),
 * and {@code growth.blockSize} for every operator but {@code baseline}.
 */
public final class SpecDefaults {
  /** MLP hidden size is {@code FFN_MULTIPLE * dModel}. */
  public static final int FFN_MULTIPLE = 4;

  public static final String NORM = "layernorm";
  public static final String ACTIVATION = "gelu";
  public static final String POSITIONS = "learned";
  public static final boolean TIE_EMBEDDINGS = false;

  /** Every method's output projections start at the scale of the target depth. */
  public static final String OUTPUT_INIT_DEPTH = "target";

  /** MIDAS duplicates the left of the two central blocks, ceil(n/2), when n is even. */
  public static final String MIDAS_TIE = "left";

  /** The method this platform is about. A baseline's block size is its whole depth. */
  public static final String GROWTH_OPERATOR = AllowedValues.MIDAS;

  public static final String OPTIMIZER_STATE = "copy";

  /** LAG's candidates when growth.operator is lag and growth.lag names none. */
  public static final java.util.List<String> LAG_CANDIDATES =
      java.util.List.of("midas", "gradstack", "random", "zero", "duplicate");

  /** LAG's steps when none are given: this fraction of stage 2's steps (at least 1). */
  public static final double LAG_STEPS_FRACTION = 0.1;

  public static final String SCHEDULE_TYPE = "prop-alpha";

  /** Prop-1, the paper's main schedule. */
  public static final double ALPHA = 1.0;

  public static final int BATCH_SIZE = 16;
  public static final long CHECKPOINT_EVERY = 500;
  public static final int KEEP_CHECKPOINTS = 2;

  public static final double LR_PEAK = 3e-4;

  /** Warmup is {@code totalSteps / WARMUP_DIVISOR} steps (5%) unless given. */
  public static final long WARMUP_DIVISOR = 20;

  public static final double LR_MIN_RATIO = 0.1;
  public static final long REWARMUP_STEPS = 0;
  public static final double WEIGHT_DECAY = 0.1;
  public static final double BETA1 = 0.9;
  public static final double BETA2 = 0.95;
  public static final double EPS = 1e-8;
  public static final double CLIP_NORM = 1.0;

  public static final int VAL_BATCHES = 8;
  public static final int SHOTS = 5;
  public static final int EVAL_PER_TASK = 64;

  /** The paper fine-tunes on 64 examples per task, over 3 seeds. */
  public static final int FINETUNE_EXAMPLES = 64;

  public static final int FINETUNE_SEEDS = 3;
  public static final int FINETUNE_STEPS = 32;
  public static final int ANALYSIS_TOKENS = 2048;

  /** Region for S3 clients; S3-compatible stores mostly ignore it. */
  public static final String REGION = "us-east-1";

  public static final int RETRY_LIMIT = 3;
  public static final long RETRY_BACKOFF_SECONDS = 30;

  /** Recorded in every checkpoint like any other seed. */
  public static final long SEED = 1;

  private SpecDefaults() {}
}
