package dev.midas.stacking.results;

import dev.midas.stacking.analysis.LayerLinearity;
import dev.midas.stacking.analysis.SimilarityMatrix;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MIDAS.md section 6 on one method's final model: block weight similarity per parameter group,
 * functional similarity of layers, and per-layer linearity (empty where not computed).
 */
public record ModelAnalysis(
    String method,
    Map<String, SimilarityMatrix> blockSimilarity,
    Optional<SimilarityMatrix> functional,
    List<LayerLinearity.Score> linearity) {

  public ModelAnalysis {
    // Keeps the groups' order (attention Q, K, V, O, then MLP), which the report follows.
    blockSimilarity =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(blockSimilarity));
    linearity = List.copyOf(linearity);
  }
}
