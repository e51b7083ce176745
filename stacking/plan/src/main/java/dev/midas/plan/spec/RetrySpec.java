package dev.midas.plan.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Retries of a failed stage, each resuming from its latest committed checkpoint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetrySpec {
  public Integer limit;
  public Long backoffSeconds;
}
