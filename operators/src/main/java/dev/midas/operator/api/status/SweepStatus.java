package dev.midas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator knows about a sweep: one table row per child, and the printer columns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SweepStatus {
  /**
   * Pending, Running, Succeeded or Failed (Failed once any child failed and none runs, or the
   * comparison report failed for good); Running while the comparison report is being drawn.
   */
  public String phase;

  /** Printer column: finished children over all children, e.g. {@code 3/4}. */
  public String done;

  /** Printer column: the child with the lowest validation loss so far. */
  public String best;

  public List<SweepRow> table = new ArrayList<>();

  /**
   * The comparison report of the children ({@code runs/<sweep>/<uid>/report/report.md}), once every
   * child has Succeeded with its own report.
   */
  public String report;

  /** Where the comparison report stands: Running, BackingOff, Succeeded or Failed. */
  public String reportPhase;

  /** Jobs launched for the comparison report so far; the latest one's name. */
  public Integer reportAttempts;

  /** Failed report attempts that count against the template's {@code retry.limit}. */
  public Integer reportFailures;

  public String reportJob;
  public String reportFailure;
  public List<Condition> conditions = new ArrayList<>();
  public Long observedGeneration;
}
