package dev.midas.plan.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Stage schedule and optimisation (MIDAS.md section 3). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScheduleSpec {
  @JsonPropertyDescription("prop-alpha (default) or explicit.")
  public String type;

  @JsonPropertyDescription("Exponent of prop-alpha: stage i gets T * i^alpha / sum j^alpha steps.")
  public Double alpha;

  @JsonPropertyDescription("For explicit: steps of each stage; they must add up to totalSteps.")
  public List<Long> stageSteps;

  @JsonPropertyDescription("Total optimizer steps T over all stages (equal to the baseline's).")
  public Long totalSteps;

  @JsonPropertyDescription("Sequences per step.")
  public Integer batchSize;

  @JsonPropertyDescription("Steps between periodic checkpoints.")
  public Long checkpointEvery;

  @JsonPropertyDescription("How many periodic checkpoints of a stage to keep.")
  public Integer keepCheckpoints;

  public LearningRateSpec lr;

  @JsonPropertyDescription(
      "LOOP's regulariser, off unless given: block-to-block cosine similarity of the weights.")
  public LoopRegularizerSpec loopRegularizer;
}
