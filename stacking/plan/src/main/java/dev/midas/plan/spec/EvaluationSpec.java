package dev.midas.plan.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * How a run is measured. Every stage computes its validation loss with {@code valBatches}; when the
 * spec has this section, the run's evaluation (the evaluation entry point) also measures every
 * committed checkpoint after the last stage (and after each stage with {@code everyStage}) and
 * writes the run's report.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EvaluationSpec {
  @JsonPropertyDescription("Validation batches for the loss.")
  public Integer valBatches;

  @JsonPropertyDescription("Primitive tasks to score; empty for none.")
  public List<String> tasks;

  @JsonPropertyDescription("Shots for few-shot scoring (default 5).")
  public Integer shots;

  @JsonPropertyDescription("Also fine-tune the final model on each task's fine-tuning split.")
  public Boolean finetune;

  @JsonPropertyDescription("Held-out instances scored per task (default 64).")
  public Integer evalPerTask;

  @JsonPropertyDescription("Fine-tuning instances per task (default 64, as in the paper).")
  public Integer finetuneExamples;

  @JsonPropertyDescription("Fine-tuning repetitions with different seeds (default 3).")
  public Integer finetuneSeeds;

  @JsonPropertyDescription("Optimizer steps of each fine-tuning run (default 32).")
  public Integer finetuneSteps;

  @JsonPropertyDescription(
      "Validation tokens whose activations the functional analyses use (default 2048).")
  public Integer analysisTokens;

  @JsonPropertyDescription(
      "Also evaluate after every stage, not only after the last (default false).")
  public Boolean everyStage;

  @JsonPropertyDescription(
      "LAG's analysis at the growth into this stage, for runs that grow by LAG (others ignore"
          + " it): every candidate trains the"
          + " whole stage, and the rank correlation (Spearman) of the candidates' selection loss"
          + " after tau steps with their loss after the stage is reported against tau. Costs one"
          + " stage's training per candidate, in the evaluation. Default: none.")
  public Integer lagAnalysisStage;
}
