package dev.midas.cli;

import dev.midas.cli.corpus.CorpusCommand;
import dev.midas.cli.demo.DemoCommand;
import dev.midas.cli.export.ExportCommand;
import dev.midas.cli.generate.GenerateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code midas} command: the entry point of the launcher script {@code ./midas}. Subcommands do
 * the work; this class only wires them and maps failures to exit codes.
 */
@Command(
    name = "midas",
    mixinStandardHelpOptions = true,
    versionProvider = MidasVersion.class,
    description = {
      "Train language models with MIDAS gradual stacking and run the experiments around it.",
      "",
      "Stage i trains a model of i*b layers; between stages the middle block is duplicated"
          + " (MIDAS) or the last block is (GradStack), so the early, shallow stages cost less"
          + " than training the full depth from step 0 (the baseline).",
      ""
    },
    footer = {
      "",
      "Start with:  ./midas demo --preset tiny",
      "Everything is written under .midas/ in the working folder unless --out says otherwise."
    },
    subcommands = {
      DemoCommand.class,
      ExportCommand.class,
      GenerateCommand.class,
      CorpusCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Midas implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // DJL must never reach the network: natives come from the pinned Maven artifact.
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("java.awt.headless", "true");
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests to run subcommands in-process. */
  public static CommandLine commandLine() {
    return new CommandLine(new Midas()).setExecutionExceptionHandler(new ExitCodes());
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
