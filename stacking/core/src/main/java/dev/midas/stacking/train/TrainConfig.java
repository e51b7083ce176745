package dev.midas.stacking.train;

import dev.midas.plan.spec.Precision;
import dev.midas.stacking.model.PyTorchRuntime;

/**
 * How to train: batch, AdamW hyper-parameters, the learning-rate schedule over the global step, the
 * data-order seed, checkpoint cadence and engine threads. Immutable; build with {@link #builder()}.
 * Results are bit-reproducible for equal configs, equal data and equal thread counts.
 */
public final class TrainConfig {
  private final Builder b;

  private TrainConfig(Builder b) {
    this.b = b.copy();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return b.copy();
  }

  public int batchSize() {
    return b.batchSize;
  }

  public double peakLr() {
    return b.peakLr;
  }

  public long warmupSteps() {
    return b.warmupSteps;
  }

  /** Total steps of the whole run (all stages): where the cosine reaches its floor. 0: no decay. */
  public long totalSteps() {
    return b.totalSteps;
  }

  public double minLrRatio() {
    return b.minLrRatio;
  }

  /** Linear re-warmup over this many steps at the start of every stage but the first (0: off). */
  public long rewarmupSteps() {
    return b.rewarmupSteps;
  }

  public double weightDecay() {
    return b.weightDecay;
  }

  public double beta1() {
    return b.beta1;
  }

  public double beta2() {
    return b.beta2;
  }

  public double eps() {
    return b.eps;
  }

  /** Global gradient-norm clip; 0 turns clipping off. */
  public double clipNorm() {
    return b.clipNorm;
  }

  /** Seed of the data order (epoch-seeded shuffles). */
  public long seed() {
    return b.seed;
  }

  /** Hand a snapshot to the listener every this many global steps (0: never). */
  public long checkpointEvery() {
    return b.checkpointEvery;
  }

  /** PyTorch intra-op threads, pinned for reproducibility. */
  public int threads() {
    return b.threads;
  }

  public int prefetchDepth() {
    return b.prefetchDepth;
  }

  /** Compute precision of the forward and backward passes; the state stays float32. */
  public Precision precision() {
    return b.precision;
  }

  /** LOOP's regulariser weight lambda (0: off); see {@link LoopRegularizer}. */
  public double loopWeight() {
    return b.loopWeight;
  }

  /** Layers per block k of LOOP's regulariser. */
  public int loopBlock() {
    return b.loopBlock;
  }

  @Override
  public String toString() {
    return "TrainConfig{batch="
        + b.batchSize
        + ", lr="
        + b.peakLr
        + ", warmup="
        + b.warmupSteps
        + ", total="
        + b.totalSteps
        + ", minRatio="
        + b.minLrRatio
        + ", rewarmup="
        + b.rewarmupSteps
        + ", wd="
        + b.weightDecay
        + ", betas=("
        + b.beta1
        + ", "
        + b.beta2
        + "), eps="
        + b.eps
        + ", clip="
        + b.clipNorm
        + ", seed="
        + b.seed
        + ", threads="
        + b.threads
        + ", precision="
        + b.precision
        + (b.loopWeight > 0 ? ", loop=" + b.loopWeight + "/" + b.loopBlock : "")
        + "}";
  }

  /**
   * Defaults: batch 8, lr 1e-3, no warmup, no decay, min ratio 0.1, wd 0.1, betas (0.9, 0.95),
   * fp32.
   */
  public static final class Builder {
    private int batchSize = 8;
    private double peakLr = 1e-3;
    private long warmupSteps;
    private long totalSteps;
    private double minLrRatio = 0.1;
    private long rewarmupSteps;
    private double weightDecay = 0.1;
    private double beta1 = 0.9;
    private double beta2 = 0.95;
    private double eps = 1e-8;
    private double clipNorm = 1.0;
    private long seed;
    private long checkpointEvery;
    private int threads = PyTorchRuntime.defaultThreads();
    private int prefetchDepth = 4;
    private Precision precision = Precision.FP32;
    private double loopWeight;
    private int loopBlock = 1;

    private Builder copy() {
      Builder c = new Builder();
      c.batchSize = batchSize;
      c.peakLr = peakLr;
      c.warmupSteps = warmupSteps;
      c.totalSteps = totalSteps;
      c.minLrRatio = minLrRatio;
      c.rewarmupSteps = rewarmupSteps;
      c.weightDecay = weightDecay;
      c.beta1 = beta1;
      c.beta2 = beta2;
      c.eps = eps;
      c.clipNorm = clipNorm;
      c.seed = seed;
      c.checkpointEvery = checkpointEvery;
      c.threads = threads;
      c.prefetchDepth = prefetchDepth;
      c.precision = precision;
      c.loopWeight = loopWeight;
      c.loopBlock = loopBlock;
      return c;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder peakLr(double v) {
      peakLr = v;
      return this;
    }

    public Builder warmupSteps(long v) {
      warmupSteps = v;
      return this;
    }

    public Builder totalSteps(long v) {
      totalSteps = v;
      return this;
    }

    public Builder minLrRatio(double v) {
      minLrRatio = v;
      return this;
    }

    public Builder rewarmupSteps(long v) {
      rewarmupSteps = v;
      return this;
    }

    public Builder weightDecay(double v) {
      weightDecay = v;
      return this;
    }

    public Builder betas(double b1, double b2) {
      beta1 = b1;
      beta2 = b2;
      return this;
    }

    public Builder eps(double v) {
      eps = v;
      return this;
    }

    public Builder clipNorm(double v) {
      clipNorm = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder checkpointEvery(long v) {
      checkpointEvery = v;
      return this;
    }

    public Builder threads(int v) {
      threads = v;
      return this;
    }

    public Builder prefetchDepth(int v) {
      prefetchDepth = v;
      return this;
    }

    public Builder precision(Precision v) {
      precision = java.util.Objects.requireNonNull(v);
      return this;
    }

    /** LOOP's regulariser: {@code weight} over blocks of {@code blockLayers} layers (0: off). */
    public Builder loopRegularizer(double weight, int blockLayers) {
      loopWeight = weight;
      loopBlock = blockLayers;
      return this;
    }

    public TrainConfig build() {
      check(batchSize > 0, "batchSize must be positive, got " + batchSize);
      check(peakLr > 0, "peak learning rate must be positive, got " + peakLr);
      check(warmupSteps >= 0 && totalSteps >= 0 && rewarmupSteps >= 0, "step counts must be >= 0");
      check(loopWeight >= 0 && loopBlock >= 1, "loop regulariser needs weight >= 0, block >= 1");
      check(minLrRatio >= 0 && minLrRatio <= 1, "minLrRatio must be in [0, 1], got " + minLrRatio);
      check(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "betas must be in [0, 1)");
      check(eps > 0, "eps must be positive, got " + eps);
      check(weightDecay >= 0 && clipNorm >= 0, "weightDecay and clipNorm must be >= 0");
      check(threads > 0, "threads must be positive, got " + threads);
      check(checkpointEvery >= 0, "checkpointEvery must be >= 0, got " + checkpointEvery);
      return new TrainConfig(this);
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
