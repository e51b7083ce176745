package dev.midas.cli.generate;

import dev.midas.stacking.eval.TokenizerCodec;
import dev.midas.stacking.model.TransformerLM;
import dev.midas.stacking.runner.StoreFlags;
import dev.midas.stacking.sampling.Generation;
import dev.midas.stacking.sampling.SamplingOptions;
import dev.midas.stacking.sampling.TextGenerator;
import dev.midas.stacking.trained.TrainedCheckpoint;
import dev.midas.stacking.trained.TrainedCheckpoints;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code midas generate}: text from a checkpoint, streamed to the terminal. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Continue prompts with the model of a checkpoint (periodic, stage-final or grown), token"
          + " by token, printing text as it is written, until the model writes end-of-text or"
          + " --max-tokens are written. Prompts are tokenized with the tokenizer of the dataset"
          + " the run trained on. Greedy by default; --temperature samples, reproducibly for a"
          + " --seed.",
      ""
    },
    footer = {
      "",
      "Example:",
      "  ./midas generate file://$PWD/.midas/store/runs/tiny-midas/<uid>/stages/stage-04/ckpt/"
          + "step-000000240/MANIFEST --prompt 'The jury said' --temperature 0.8 --seed 7"
    })
public final class GenerateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MANIFEST", description = "The checkpoint's MANIFEST URI.")
  String manifest;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Prompts prompts;

  static final class Prompts {
    @Option(names = "--prompt", paramLabel = "TEXT", description = "The text to continue.")
    String text;

    @Option(
        names = "--prompt-file",
        paramLabel = "FILE",
        description =
            "UTF-8 text, one prompt a line (blank lines skipped), each continued in turn.")
    java.nio.file.Path file;
  }

  @Option(
      names = "--max-tokens",
      defaultValue = "64",
      description = "Most new tokens per prompt. Default: ${DEFAULT-VALUE}.")
  int maxTokens;

  @Option(
      names = "--temperature",
      defaultValue = "0",
      description =
          "0 is greedy (the most likely token each step); above 0 samples from"
              + " softmax(logits / T). Default: ${DEFAULT-VALUE}.")
  double temperature;

  @Option(
      names = "--top-k",
      defaultValue = "0",
      description =
          "When sampling, draw only among the K most likely tokens; 0 means all. Default:"
              + " ${DEFAULT-VALUE}.")
  int topK;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the sampling draws. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Mixin StoreFlags store;

  @Override
  public Integer call() throws Exception {
    SamplingOptions options = new SamplingOptions(maxTokens, temperature, topK, seed);
    List<String> texts =
        prompts.text != null ? List.of(prompts.text) : PromptFile.read(prompts.file);
    TrainedCheckpoint checkpoint = TrainedCheckpoints.read(manifest, store.options());
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (TransformerLM model = checkpoint.newModel();
        TokenizerCodec codec = checkpoint.requireTokenizer().codec()) {
      TextGenerator generator = new TextGenerator(model, codec);
      for (int i = 0; i < texts.size(); i++) {
        if (i > 0) {
          out.println();
        }
        out.print(texts.get(i));
        out.flush();
        Generation g =
            generator.generate(
                texts.get(i),
                options,
                piece -> {
                  out.print(piece);
                  out.flush();
                });
        out.println();
        System.err.printf(
            "(%d new tokens, %s)%n",
            g.newIds().length,
            g.stop() == Generation.Stop.END_OF_TEXT
                ? "stopped at end-of-text"
                : "--max-tokens reached");
      }
    }
    return 0;
  }
}
