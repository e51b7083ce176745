package dev.midas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** LAG at one growth point: every candidate's loss after the lag, and the operator kept. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LagDecision {
  /** The stage the candidates grow into (the stage after the growth point). */
  public Integer stage;

  public Long lagSteps;
  public List<LagCandidate> candidates = new ArrayList<>();

  /** The chosen operator; empty until every candidate has reported. */
  public String chosen;

  public String decidedAt;
}
