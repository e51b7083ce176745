package dev.midas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What every piece of work the operator runs as Jobs (a stage, an evaluation) records about its
 * attempts: where it stands, how many Jobs it took and which failures count against {@code
 * retry.limit}, one rule for both ({@code RetryPolicy}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AttemptStatus {
  /** Pending, Running, BackingOff, Succeeded, Failed, ... (see {@code StagePhase}). */
  public String phase;

  /** Jobs launched so far (first run and retries). */
  public Integer attempts;

  /** Failed attempts that count against {@code retry.limit} (preemptions and suspends do not). */
  public Integer failures;

  public String jobName;
  public String startTime;
  public String endTime;
  public Integer lastExitCode;
  public String lastFailure;

  /** While BackingOff: when the next attempt may start (RFC 3339). */
  public String retryAfter;
}
