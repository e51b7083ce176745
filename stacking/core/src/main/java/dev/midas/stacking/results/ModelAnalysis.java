package dev.midas.stacking.results;

import dev.midas.stacking.analysis.LayerLinearity;
import dev.midas.stacking.analysis.SimilarityMatrix;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MIDAS.md section 6 on one method's final model: block weight similarity per parameter group,
 * functional similarity of layers, and per-layer linearity (empty where not computed); and, for a
 * run that grew by LAG, LAG's analysis at one growth point when it was asked for.
 */
public record ModelAnalysis(
    String method,
    Map<String, SimilarityMatrix> blockSimilarity,
    Optional<SimilarityMatrix> functional,
    List<LayerLinearity.Score> linearity,
    Optional<LagCurve> lag) {

  public ModelAnalysis(
      String method,
      Map<String, SimilarityMatrix> blockSimilarity,
      Optional<SimilarityMatrix> functional,
      List<LayerLinearity.Score> linearity) {
    this(method, blockSimilarity, functional, linearity, Optional.empty());
  }

  /** The same analysis under another name (a sweep labels its runs). */
  public ModelAnalysis named(String name) {
    return new ModelAnalysis(name, blockSimilarity, functional, linearity, lag);
  }

  public ModelAnalysis withLag(LagCurve curve) {
    return new ModelAnalysis(method, blockSimilarity, functional, linearity, Optional.of(curve));
  }

  public ModelAnalysis {
    // Keeps the groups' order (attention Q, K, V, O, then MLP), which the report follows.
    blockSimilarity =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(blockSimilarity));
    linearity = List.copyOf(linearity);
  }
}
