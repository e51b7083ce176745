package dev.midas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator knows about a sweep: one table row per child, and the printer columns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SweepStatus {
  /** Pending, Running, Succeeded or Failed (Failed once any child failed and none runs). */
  public String phase;

  /** Printer column: finished children over all children, e.g. {@code 3/4}. */
  public String done;

  /** Printer column: the child with the lowest validation loss so far. */
  public String best;

  public List<SweepRow> table = new ArrayList<>();
  public List<Condition> conditions = new ArrayList<>();
  public Long observedGeneration;
}
