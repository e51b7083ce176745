package dev.midas.plan.spec;

import dev.midas.plan.layout.RunLayout;
import java.math.BigDecimal;

/**
 * The bounds of every numeric field of a spec, in one place, so that a spec the validator accepts
 * can never make the stage runner overflow an int, allocate an absurd array or write a checkpoint
 * folder name the run layout cannot hold. They are far above anything this platform trains today
 * (the GPU preset: dModel 768, seqLen 512) and far below what breaks arithmetic. The README's spec
 * section lists the same numbers.
 */
public final class SpecBounds {
  public static final int MAX_VOCAB_SIZE = 1 << 20;
  public static final int MAX_D_MODEL = 1 << 16;
  public static final int MAX_HEADS = 1 << 10;
  public static final int MAX_FFN = 1 << 18;
  public static final int MAX_TARGET_LAYERS = 1 << 10;
  public static final int MAX_SEQ_LEN = 1 << 17;

  /** Checkpoint folders are named by global step in nine digits. */
  public static final long MAX_STEPS = RunLayout.MAX_STEP;

  /** Stage folders are named by index in two digits. */
  public static final int MAX_STAGES = RunLayout.MAX_STAGE;

  public static final int MAX_BATCH_SIZE = 1 << 16;

  /**
   * Tokens of one step ({@code batchSize * (seqLen + 1)}, inputs plus the shifted target) index one
   * Java array in the data loader.
   */
  public static final long MAX_TOKENS_PER_STEP = Integer.MAX_VALUE - 8;

  public static final int MAX_KEEP_CHECKPOINTS = 1000;
  public static final double MAX_ALPHA = 16;
  public static final double MAX_LR = 10;
  public static final double MAX_WEIGHT_DECAY = 10;
  public static final double MAX_EPS = 1;
  public static final double MAX_CLIP_NORM = 1e6;

  /** One trillion parameters: beyond this the estimate, not the spec, would be the question. */
  public static final long MAX_PARAMETERS = 1_000_000_000_000L;

  public static final int MAX_VAL_BATCHES = 100_000;
  public static final int MAX_SHOTS = 64;

  /** Primitive instances scored, or fine-tuned on, per task. */
  public static final int MAX_EVAL_INSTANCES = 1_000_000;

  public static final int MAX_FINETUNE_SEEDS = 100;
  public static final int MAX_FINETUNE_STEPS = 1_000_000;

  /** Validation tokens whose activations the analyses hold in memory. */
  public static final int MAX_ANALYSIS_TOKENS = 1 << 24;

  public static final int MAX_RETRY_LIMIT = 100;

  /** A day: the exponential backoff is capped at an hour anyway. */
  public static final long MAX_BACKOFF_SECONDS = 86_400;

  public static final int MAX_GPU = 64;

  /** Cores of one stage pod. */
  public static final BigDecimal MAX_CPU = BigDecimal.valueOf(1024);

  /** Bytes of one stage pod: 64 TiB. */
  public static final BigDecimal MAX_MEMORY_BYTES = BigDecimal.valueOf(2).pow(46);

  /** A year. */
  public static final long MAX_STAGE_DEADLINE_SECONDS = 365L * 86_400;

  public static final long MAX_TOLERATION_SECONDS = 365L * 86_400;

  private SpecBounds() {}
}
