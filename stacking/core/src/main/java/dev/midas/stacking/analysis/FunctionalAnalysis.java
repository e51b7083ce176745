package dev.midas.stacking.analysis;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.midas.stacking.model.TransformerLM;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the two activation-based analyses of MIDAS.md section 6 on a model: functional similarity
 * (every layer applied to the same inputs: the residual streams entering each layer, pooled) and
 * layer linearity (each layer's update fitted on one token split, scored on another).
 */
public final class FunctionalAnalysis {

  public record Result(SimilarityMatrix functional, List<LayerLinearity.Score> linearity) {}

  private FunctionalAnalysis() {}

  /**
   * @param fitTokens token windows [B][T] the linear maps are fitted on
   * @param testTokens other windows, where linearity is scored and functional similarity measured
   */
  public static Result run(TransformerLM model, int[][] fitTokens, int[][] testTokens) {
    int layers = model.depth();
    try (NDManager scope = model.manager().newSubManager()) {
      List<NDArray> fit = residualStream(model, tokens(scope, fitTokens));
      List<NDArray> test = residualStream(model, tokens(scope, testTokens));
      List<LayerLinearity.Score> linearity = new ArrayList<>(layers);
      for (int l = 0; l < layers; l++) {
        linearity.add(
            LayerLinearity.score(
                rows(fit.get(l)),
                rows(fit.get(l + 1).sub(fit.get(l))),
                rows(test.get(l)),
                rows(test.get(l + 1).sub(test.get(l)))));
      }
      List<List<float[]>> updates = new ArrayList<>(layers);
      for (int l = 0; l < layers; l++) {
        updates.add(new ArrayList<>());
      }
      for (int source = 0; source < layers; source++) {
        NDArray x = test.get(source);
        for (int l = 0; l < layers; l++) {
          for (float[] row : rows(model.applyLayer(l, x).sub(x))) {
            updates.get(l).add(row);
          }
        }
      }
      List<float[][]> perLayer = new ArrayList<>(layers);
      updates.forEach(u -> perLayer.add(u.toArray(float[][]::new)));
      return new Result(FunctionalSimilarity.compute(perLayer), linearity);
    }
  }

  /**
   * The residual stream for token ids [B, T]: element l enters layer l (element 0 is the
   * embeddings), the last leaves the last layer.
   */
  static List<NDArray> residualStream(TransformerLM model, NDArray tokens) {
    List<NDArray> stream = new ArrayList<>();
    NDArray h = model.embed(tokens);
    stream.add(h);
    for (int l = 0; l < model.depth(); l++) {
      h = model.applyLayer(l, h);
      stream.add(h);
    }
    return stream;
  }

  static NDArray tokens(NDManager scope, int[][] windows) {
    int b = windows.length;
    int t = windows[0].length;
    int[] flat = new int[b * t];
    for (int i = 0; i < b; i++) {
      System.arraycopy(windows[i], 0, flat, i * t, t);
    }
    return scope.create(flat, new Shape(b, t));
  }

  /** [B, T, D] as B*T rows of D floats. */
  static float[][] rows(NDArray hidden) {
    long d = hidden.getShape().get(hidden.getShape().dimension() - 1);
    float[] flat = hidden.toFloatArray();
    int n = (int) (flat.length / d);
    float[][] out = new float[n][(int) d];
    for (int r = 0; r < n; r++) {
      System.arraycopy(flat, (int) (r * d), out[r], 0, (int) d);
    }
    return out;
  }
}
