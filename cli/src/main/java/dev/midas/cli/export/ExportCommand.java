package dev.midas.cli.export;

import dev.midas.stacking.export.HfExport;
import dev.midas.stacking.runner.StoreFlags;
import dev.midas.stacking.trained.TrainedCheckpoint;
import dev.midas.stacking.trained.TrainedCheckpoints;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code midas export}: a checkpoint as a Hugging Face model folder. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write a checkpoint as a Hugging Face model folder that transformers, vLLM and llama.cpp's"
          + " converters load: config.json, model.safetensors (fp32), generation_config.json,"
          + " and the tokenizer.json + tokenizer_config.json of the dataset the run trained on.",
      "Learned positions with layernorm export as GPT2LMHeadModel, rotary positions with rmsnorm"
          + " as LlamaForCausalLM; any other model config is refused, naming the field, rather"
          + " than exported as a different model. Every checkpoint file is verified against its"
          + " MANIFEST first; config.json's midas_source records the MANIFEST's URI and SHA-256.",
      "The folder appears whole or not at all (written under a hidden name beside it, then"
          + " renamed); an existing folder that is not empty is never written into.",
      ""
    },
    footer = {
      "",
      "Example:",
      "  ./midas export file://$PWD/.midas/store/runs/tiny-midas/<uid>/stages/stage-04/ckpt/"
          + "step-000000240/MANIFEST --to tiny-midas-hf",
      "  python3 -c \"import transformers as t; t.AutoModelForCausalLM.from_pretrained("
          + "'tiny-midas-hf')\""
    })
public final class ExportCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "MANIFEST",
      description =
          "The checkpoint's MANIFEST: file:///.../runs/<experiment>/<uid>/stages/stage-NN/"
              + "ckpt/step-NNNNNNNNN/MANIFEST (periodic or stage-final), .../grown/MANIFEST, or the"
              + " same under s3://bucket/...")
  String manifest;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "DIR",
      description = "The folder to create (absent or empty).")
  Path to;

  @Mixin StoreFlags store;

  @Override
  public Integer call() throws Exception {
    TrainedCheckpoint checkpoint = TrainedCheckpoints.read(manifest, store.options());
    if (checkpoint.tokenizer().isEmpty()) {
      System.err.println("midas: exporting without a tokenizer: " + checkpoint.tokenizerMissing());
    }
    HfExport.Result r = HfExport.write(checkpoint, to);
    System.out.printf(
        "%s, %,d parameters, %d layers -> %s%n  %s%n",
        r.architecture(),
        r.parameters(),
        checkpoint.model().getNLayers(),
        r.folder(),
        String.join(", ", r.files()));
    return 0;
  }
}
