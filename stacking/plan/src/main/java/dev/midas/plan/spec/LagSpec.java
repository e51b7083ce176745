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
}
