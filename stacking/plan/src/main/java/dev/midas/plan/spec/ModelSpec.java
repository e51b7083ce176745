package dev.midas.plan.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Transformer shape; {@code targetLayers} is the depth of the last stage. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelSpec {
  @JsonPropertyDescription("Vocabulary size; must cover the dataset's tokenizer.")
  public Integer vocabSize;

  public Integer dModel;
  public Integer heads;

  @JsonPropertyDescription("Hidden size of the MLP (default 4 * dModel).")
  public Integer ffn;

  @JsonPropertyDescription("Depth L of the final model; a multiple of growth.blockSize.")
  public Integer targetLayers;

  public Integer seqLen;

  @JsonPropertyDescription("layernorm (default) or rmsnorm.")
  public String norm;

  @JsonPropertyDescription("gelu (default) or relu.")
  public String activation;

  @JsonPropertyDescription("learned (default) or rotary.")
  public String positions;

  public Boolean tieEmbeddings;

  @JsonPropertyDescription(
      "target (default): each layer's output projections start at std 0.02/sqrt(2*targetLayers) in"
          + " every stage of every method, so staged and full-depth runs start at the same scale;"
          + " stage: 0.02/sqrt(2*the depth being trained).")
  public String outputInitDepth;
}
