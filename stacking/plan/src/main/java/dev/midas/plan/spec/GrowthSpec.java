package dev.midas.plan.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Growth between stages (MIDAS.md section 2). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GrowthSpec {
  @JsonPropertyDescription(
      "baseline (full depth from step 0), midas, gradstack, double, map, random, zero, or loop"
          + " (a blockSize-layer block applied targetLayers/blockSize times, weights shared).")
  public String operator;

  @JsonPropertyDescription(
      "Layers per block b; stage i trains i*b layers (for loop: the layers of the shared block).")
  public Integer blockSize;

  @JsonPropertyDescription("copy (default): Adam moments follow copied layers; reset: fresh.")
  public String optimizerState;

  @JsonPropertyDescription(
      "For operator map: per stage boundary, the source layer of each new layer.")
  public List<List<Integer>> map;

  @JsonPropertyDescription(
      "left (default) or right: which of the two central blocks midas (and random, zero) copies"
          + " when the model has an even number of blocks n: block ceil(n/2) or n/2+1 (1-based).")
  public String midasTie;

  @JsonPropertyDescription(
      "LAG: choose the operator at each growth from a short burst of training.")
  public LagSpec lag;
}
