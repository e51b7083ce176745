package dev.midas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One LAG candidate: a growth operator trained for the lag in its own Job. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LagCandidate {
  public String operator;
  public String jobName;

  /** Pending, Running, Succeeded or Failed. */
  public String phase;

  public Double valLoss;
  public Double trainLoss;

  /** The candidate's checkpoint after the lag (the winner's stage resumes from it). */
  public String manifest;
}
