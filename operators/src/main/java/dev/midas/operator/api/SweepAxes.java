package dev.midas.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The sweep's axes; an absent or empty axis keeps the template's value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SweepAxes {
  @JsonPropertyDescription("growth.operator values, e.g. [midas, gradstack].")
  public List<String> operator;

  @JsonPropertyDescription("growth.blockSize values.")
  public List<Integer> blockSize;

  @JsonPropertyDescription("schedule.alpha values (prop-alpha exponent).")
  public List<Double> alpha;

  @JsonPropertyDescription("seed values.")
  public List<Long> seed;
}
