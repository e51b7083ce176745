package dev.midas.plan.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** LAG selection at each growth point (MIDAS.md section 7). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LagSpec {
  @JsonPropertyDescription("Candidate operators, e.g. [midas, gradstack, random, zero].")
  public List<String> candidates;

  @JsonPropertyDescription("Lag K: training steps per candidate before comparing.")
  public Long steps;

  @JsonPropertyDescription("How many candidates train at once (default: all of them).")
  public Integer maxParallel;

  @JsonPropertyDescription(
      "Deadline of one candidate's Job in seconds; a candidate past it is retried like a failed"
          + " stage (default: stageDeadlineSeconds, if set).")
  public Long timeoutSeconds;
}
