package dev.midas.plan.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * LOOP's regulariser (Saunshi et al. 2025): pulls the layers of consecutive blocks towards each
 * other, so that an unshared model learns what a looped one is forced to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LoopRegularizerSpec {
  @JsonPropertyDescription(
      "lambda: the loss gains lambda * mean over block pairs (i, i+1), layers j of a block and"
          + " weight matrices G of (1 - cos(G of layer i*k+j, G of layer (i+1)*k+j)); 10 in LOOP.")
  public Double weight;

  @JsonPropertyDescription("k: layers per block (default growth.blockSize; 4 in LOOP).")
  public Integer blockLayers;
}
