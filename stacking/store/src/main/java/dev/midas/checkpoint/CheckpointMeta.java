package dev.midas.checkpoint;

import dev.midas.plan.spec.Precision;
import dev.midas.proto.GrowthRecord;
import dev.midas.proto.TrainingChoices;
import java.util.Optional;

/**
 * What a checkpoint records besides its train state: seed, lineage (the manifest this process's
 * training started from: the grown init, the resumed checkpoint, or empty for random init), how it
 * was grown, the optimizer-state policy, the training choices the method leaves open, the code
 * version, the losses when it was written, and the compute precision of the training behind it (the
 * state itself is float32 whatever it is).
 */
public record CheckpointMeta(
    long seed,
    String parentManifest,
    Optional<GrowthRecord> growth,
    String optimizerStatePolicy,
    Optional<TrainingChoices> choices,
    String codeVersion,
    double trainLoss,
    double valLoss,
    String precision) {

  /** A random-init fp32 lineage with unknown losses. */
  public static CheckpointMeta of(long seed) {
    return new CheckpointMeta(
        seed,
        "",
        Optional.empty(),
        "copy",
        Optional.empty(),
        currentCodeVersion(),
        Double.NaN,
        Double.NaN,
        Precision.FP32.word());
  }

  public CheckpointMeta withParent(String parent) {
    return new CheckpointMeta(
        seed,
        parent,
        growth,
        optimizerStatePolicy,
        choices,
        codeVersion,
        trainLoss,
        valLoss,
        precision);
  }

  public CheckpointMeta withGrowth(GrowthRecord g) {
    return new CheckpointMeta(
        seed,
        parentManifest,
        Optional.of(g),
        optimizerStatePolicy,
        choices,
        codeVersion,
        trainLoss,
        valLoss,
        precision);
  }

  public CheckpointMeta withOptimizerStatePolicy(String policy) {
    return new CheckpointMeta(
        seed, parentManifest, growth, policy, choices, codeVersion, trainLoss, valLoss, precision);
  }

  public CheckpointMeta withChoices(TrainingChoices c) {
    return new CheckpointMeta(
        seed,
        parentManifest,
        growth,
        optimizerStatePolicy,
        Optional.of(c),
        codeVersion,
        trainLoss,
        valLoss,
        precision);
  }

  public CheckpointMeta withLosses(double train, double val) {
    return new CheckpointMeta(
        seed,
        parentManifest,
        growth,
        optimizerStatePolicy,
        choices,
        codeVersion,
        train,
        val,
        precision);
  }

  public CheckpointMeta withPrecision(Precision p) {
    return new CheckpointMeta(
        seed,
        parentManifest,
        growth,
        optimizerStatePolicy,
        choices,
        codeVersion,
        trainLoss,
        valLoss,
        p.word());
  }

  /** The jar's version (its manifest's Implementation-Version), or "dev" from a source tree. */
  public static String currentCodeVersion() {
    String v = CheckpointMeta.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
