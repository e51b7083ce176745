package dev.midas.plan.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** AdamW with warmup + cosine over the global step, continuous across stages. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LearningRateSpec {
  public Double peak;
  public Long warmupSteps;

  @JsonPropertyDescription("Final learning rate as a fraction of peak.")
  public Double minRatio;

  @JsonPropertyDescription("Re-warm up at each stage boundary for this many steps (0: off).")
  public Long rewarmupSteps;

  public Double weightDecay;
  public Double beta1;
  public Double beta2;
  public Double eps;

  @JsonPropertyDescription("Global gradient-norm clip (0: off).")
  public Double clipNorm;
}
