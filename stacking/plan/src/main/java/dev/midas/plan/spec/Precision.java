package dev.midas.plan.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The arithmetic a stage trains in. Whatever it is, parameters and AdamW moments are float32
 * masters and checkpoints hold them in float32; the precision is recorded in every checkpoint
 * manifest, so a lineage keeps it across resumes and growth unless a spec names another one.
 *
 * <ul>
 *   <li>{@code fp32}: float32 throughout (bit-reproducible on CPU).
 *   <li>{@code tf32}: float32, with the GPU's matrix products in TensorFloat-32 (a 10-bit mantissa
 *       in the products, float32 accumulation); the same as fp32 on a CPU.
 *   <li>{@code bf16-mixed}: what {@code torch.autocast(dtype=bfloat16)} does: matrix products and
 *       attention in bfloat16, norms, softmax and the loss in float32, gradients flowing back to
 *       the float32 masters.
 * </ul>
 *
 * A spec that names no precision trains in {@link #defaultFor the device's default}: bf16-mixed on
 * a GPU, fp32 on a CPU.
 */
public enum Precision {
  FP32("fp32"),
  TF32("tf32"),
  BF16_MIXED("bf16-mixed");

  private final String word;

  Precision(String word) {
    this.word = word;
  }

  /** The spec's and the manifest's spelling. */
  public String word() {
    return word;
  }

  /** The spellings a spec may use, in order. */
  public static List<String> words() {
    return Arrays.stream(values()).map(Precision::word).toList();
  }

  /**
   * @throws IllegalArgumentException naming the allowed words
   */
  public static Precision parse(String word) {
    for (Precision p : values()) {
      if (p.word.equals(word)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "precision '" + word + "' is not one of " + String.join(", ", words()));
  }

  /**
   * A manifest's precision; manifests written before precision was recorded hold none, and the
   * training behind them was fp32.
   */
  public static Precision ofManifest(String recorded) {
    return recorded == null || recorded.isEmpty() ? FP32 : parse(recorded);
  }

  /** What a GPU user expects (bf16-mixed), and fp32 on a CPU, where bfloat16 gains nothing. */
  public static Precision defaultFor(boolean gpu) {
    return gpu ? BF16_MIXED : FP32;
  }

  /**
   * The precision a stage trains in: the spec's when it names one (a change of a lineage's
   * precision is always explicit), else the lineage's (the checkpoint the stage starts from), else
   * the device's default.
   */
  public static Precision choose(
      Optional<Precision> spec, Optional<Precision> lineage, boolean gpu) {
    return spec.or(() -> lineage).orElseGet(() -> defaultFor(gpu));
  }

  @Override
  public String toString() {
    return word;
  }
}
