package dev.midas.stacking.trained;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.proto.CheckpointManifest;
import dev.midas.proto.ModelConfig;
import dev.midas.stacking.model.ModelConfigs;
import dev.midas.stacking.model.TransformerLM;
import java.util.Optional;

/**
 * A committed checkpoint read back for use: its verified fp32 parameters (checkpoints hold fp32
 * masters whatever precision trained them), its manifest and the manifest's SHA-256, and the
 * tokenizer of the dataset its run trained on, or why there is none ({@link #tokenizerMissing}).
 */
public record TrainedCheckpoint(
    CheckpointLocation location,
    CheckpointManifest manifest,
    String manifestSha256,
    NamedTensors params,
    Optional<RunTokenizer> tokenizer,
    String tokenizerMissing) {

  /** The model config with its documented defaults filled in. */
  public ModelConfig model() {
    return ModelConfigs.normalize(manifest.getModel());
  }

  /** The tokenizer, or an error saying why this run has none. */
  public RunTokenizer requireTokenizer() {
    return tokenizer.orElseThrow(
        () ->
            new IllegalArgumentException(
                location.manifest()
                    + " has no tokenizer to turn text into tokens: "
                    + tokenizerMissing));
  }

  /** The model on the PyTorch engine; the caller closes it. */
  public TransformerLM newModel() {
    return TransformerLM.fromParams(manifest.getModel(), params);
  }
}
