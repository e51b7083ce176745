package dev.midas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One LAG candidate: a growth operator trained for the lag in its own Job. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LagCandidate {
  public String operator;
  public String jobName;

  /** Pending, Running, BackingOff, Succeeded or Failed (after its retries). */
  public String phase;

  /** Jobs launched for this candidate (first run and retries). */
  public Integer attempts;

  /** Failed attempts that count against {@code retry.limit}. */
  public Integer failures;

  public String lastFailure;

  /** While BackingOff: when the next attempt may start (RFC 3339). */
  public String retryAfter;

  /** Loss on the held-out selection windows after the lag: what LAG chooses by. */
  public Double selectionLoss;

  /** Loss on the reported validation windows (shown, never chosen by). */
  public Double valLoss;

  public Double trainLoss;

  /** Wall clock of the candidate's stage process, charged to the experiment. */
  public Double wallSeconds;

  /** The candidate's checkpoint after the lag (the winner's stage resumes from it). */
  public String manifest;
}
