package dev.midas.plan.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * One training run, exactly as a user writes it: the {@code spec} of a {@code StackingExperiment}
 * custom resource and the YAML file the local runner takes. Every field is nullable with no default
 * here (defaults are applied by validation), so a round trip through the API server never writes
 * values the user did not set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExperimentSpec {
  @JsonPropertyDescription("Transformer shape at full depth.")
  public ModelSpec model;

  @JsonPropertyDescription("How the model grows between stages.")
  public GrowthSpec growth;

  @JsonPropertyDescription("Steps, stages and learning-rate schedule.")
  public ScheduleSpec schedule;

  @JsonPropertyDescription("Dataset and primitives manifests.")
  public DataSpec data;

  @JsonPropertyDescription("What to evaluate after each stage.")
  public EvaluationSpec evaluation;

  @JsonPropertyDescription("Object-store root and credentials.")
  public StorageSpec storage;

  @JsonPropertyDescription("Image and compute per stage pod.")
  public ResourcesSpec resources;

  @JsonPropertyDescription("Retries of a failed stage.")
  public RetrySpec retry;

  @JsonPropertyDescription("Seed of every random choice (init, data order, dropout-free sampling).")
  public Long seed;

  @JsonPropertyDescription(
      "Compute precision: fp32, tf32 or bf16-mixed (float32 masters, matrix products and attention"
          + " in bfloat16). Default: the lineage's, else bf16-mixed on a GPU and fp32 on a CPU.")
  public String precision;

  @JsonPropertyDescription("Stop the running stage after it checkpoints; resume when set back.")
  public Boolean suspend;

  @JsonPropertyDescription("Change to restart a failed experiment from its latest checkpoint.")
  public String restartNonce;

  @JsonPropertyDescription("Deadline of one stage's Job, in seconds.")
  public Long stageDeadlineSeconds;
}
