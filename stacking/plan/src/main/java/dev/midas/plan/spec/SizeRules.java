package dev.midas.plan.spec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Checks of what a spec's fields add up to: tokens per step, the parameter count at full depth, and
 * a lower bound of the memory training needs against {@code resources.memory}. Every product is
 * computed without wrapping around (exact long arithmetic, or BigInteger), so a spec cannot pass
 * here and then overflow in the stage runner.
 */
final class SizeRules {
  private static final BigInteger FLOAT_BYTES = BigInteger.valueOf(4);

  /** fp32 weights, gradients and AdamW's two moments. */
  private static final BigInteger TRAIN_STATE_BYTES = BigInteger.valueOf(16);

  /** fp32 weights and AdamW's two moments, copied to the host when a checkpoint is written. */
  private static final BigInteger CHECKPOINT_BYTES = BigInteger.valueOf(12);

  private SizeRules() {}

  /** Runs only on a spec whose fields are each valid, so the sizes below are all meaningful. */
  static void check(
      Violations v,
      ResolvedSpec.Model model,
      ResolvedSpec.Schedule schedule,
      ResolvedSpec.Resources resources) {
    long tokensPerStep;
    try {
      tokensPerStep = Math.multiplyExact((long) schedule.batchSize(), model.seqLen() + 1L);
    } catch (ArithmeticException e) {
      tokensPerStep = Long.MAX_VALUE;
    }
    if (tokensPerStep > SpecBounds.MAX_TOKENS_PER_STEP) {
      v.add(
          "schedule.batchSize "
              + schedule.batchSize()
              + " x (model.seqLen "
              + model.seqLen()
              + " + 1) = "
              + tokensPerStep
              + " tokens per step; at most "
              + SpecBounds.MAX_TOKENS_PER_STEP
              + " fit one step's batch");
    }
    BigInteger params = parameters(model);
    if (params.compareTo(BigInteger.valueOf(SpecBounds.MAX_PARAMETERS)) > 0) {
      v.add(
          "model.* gives "
              + params
              + " parameters at full depth (model.targetLayers "
              + model.targetLayers()
              + ", model.dModel "
              + model.dModel()
              + ", model.ffn "
              + model.ffn()
              + ", model.vocabSize "
              + model.vocabSize()
              + "); at most "
              + SpecBounds.MAX_PARAMETERS
              + " are allowed");
      return;
    }
    Optional<BigDecimal> memory = resources.memory().flatMap(Quantities::parse);
    if (memory.isPresent()) {
      BigInteger need = memoryLowerBound(model, schedule.batchSize(), resources.gpu() > 0, params);
      if (new BigDecimal(need).compareTo(memory.get()) > 0) {
        v.add(
            "resources.memory "
                + resources.memory().get()
                + " is less than the "
                + Quantities.bytes(new BigDecimal(need))
                + " a stage at full depth needs at least ("
                + params
                + " parameters"
                + (resources.gpu() > 0
                    ? ", whose weights and optimizer moments a checkpoint copies to the host)"
                    : ", their gradients and optimizer moments, logits and attention scores)"));
      }
    }
  }

  /**
   * Parameters of the model at full depth, name by name as the stage runner lays them out:
   * embeddings, learned positions, per layer two norms, four attention projections with biases and
   * the two MLP projections with biases, the final norm, and an untied head.
   */
  static BigInteger parameters(ResolvedSpec.Model m) {
    BigInteger d = BigInteger.valueOf(m.dModel());
    BigInteger f = BigInteger.valueOf(m.ffn());
    BigInteger vocab = BigInteger.valueOf(m.vocabSize());
    BigInteger norm = "layernorm".equals(m.norm()) ? d.shiftLeft(1) : d;
    BigInteger attention = d.multiply(d).add(d).multiply(BigInteger.valueOf(4));
    BigInteger mlp = f.multiply(d).add(f).add(d.multiply(f)).add(d);
    BigInteger layer = norm.add(attention).add(norm).add(mlp);
    BigInteger p = vocab.multiply(d);
    if ("learned".equals(m.positions())) {
      p = p.add(BigInteger.valueOf(m.seqLen()).multiply(d));
    }
    p = p.add(layer.multiply(BigInteger.valueOf(m.targetLayers()))).add(norm);
    if (!m.tieEmbeddings()) {
      p = p.add(vocab.multiply(d));
    }
    return p;
  }

  /**
   * What a stage at full depth holds at the least, in bytes. On a GPU the pod's memory only sees a
   * checkpoint's host copy; on the CPU it holds the training state, one step's logits and every
   * layer's attention probabilities (kept for the backward pass). Activations between are left out,
   * so a spec this refuses surely cannot run.
   */
  static BigInteger memoryLowerBound(
      ResolvedSpec.Model m, int batchSize, boolean gpu, BigInteger params) {
    if (gpu) {
      return params.multiply(CHECKPOINT_BYTES);
    }
    BigInteger tokens = BigInteger.valueOf(batchSize).multiply(BigInteger.valueOf(m.seqLen()));
    BigInteger logits = tokens.multiply(BigInteger.valueOf(m.vocabSize())).multiply(FLOAT_BYTES);
    BigInteger scores =
        tokens
            .multiply(BigInteger.valueOf(m.seqLen()))
            .multiply(BigInteger.valueOf(m.heads()))
            .multiply(BigInteger.valueOf(m.targetLayers()))
            .multiply(FLOAT_BYTES);
    return params.multiply(TRAIN_STATE_BYTES).add(logits).add(scores);
  }
}
