package dev.midas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The running stage's last heartbeat, copied from the object store. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HeartbeatStatus {
  public Integer stage;
  public Long globalStep;
  public Long stageStep;
  public Long stageSteps;
  public Double loss;
  public Double tokensPerSecond;
  public Double etaSeconds;

  /** When the stage wrote it (RFC 3339). */
  public String updatedAt;
}
