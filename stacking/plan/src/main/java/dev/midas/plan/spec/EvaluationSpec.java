package dev.midas.plan.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Evaluation after each stage. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EvaluationSpec {
  @JsonPropertyDescription("Validation batches for the loss.")
  public Integer valBatches;

  @JsonPropertyDescription("Primitive tasks to score; empty for none.")
  public List<String> tasks;

  @JsonPropertyDescription("Shots for few-shot scoring (default 5).")
  public Integer shots;

  @JsonPropertyDescription("Also fine-tune on 64 examples per task and score.")
  public Boolean finetune;
}
