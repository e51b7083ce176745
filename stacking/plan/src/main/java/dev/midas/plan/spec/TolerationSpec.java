package dev.midas.plan.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A pod toleration, copied as is onto stage pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TolerationSpec {
  public String key;
  public String operator;
  public String value;
  public String effect;
  public Long tolerationSeconds;
}
