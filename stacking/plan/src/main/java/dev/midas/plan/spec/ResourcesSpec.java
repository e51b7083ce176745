package dev.midas.plan.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** What each stage pod gets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourcesSpec {
  public String image;
  public Integer gpu;
  public String cpu;
  public String memory;
  public Map<String, String> nodeSelector;
  public List<TolerationSpec> tolerations;
  public String priorityClassName;

  /** Value of the queue label (for Kueue-style admission), if any. */
  public String queue;
}
