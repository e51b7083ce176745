package dev.midas.stacking.results;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a demo run measured, in the order the report shows it: the methods (baseline first
 * when present) and their analyses, plus a description of the setup for the report's header.
 *
 * @param setup lines describing the run (preset, corpus, model, schedule, machine), in order
 */
public record DemoResults(
    String title, List<String> setup, List<MethodRun> runs, Map<String, ModelAnalysis> analyses) {

  public DemoResults {
    setup = List.copyOf(setup);
    runs = List.copyOf(runs);
    analyses = Map.copyOf(analyses);
  }

  public Optional<MethodRun> run(String method) {
    return runs.stream().filter(r -> r.method().equals(method)).findFirst();
  }

  /** Baseline FLOPs over this method's FLOPs; NaN without a baseline. */
  public double flopsSpeedup(MethodRun r) {
    return run("baseline").map(b -> b.flops() / r.flops()).orElse(Double.NaN);
  }

  /** Baseline training wall clock (end to end) over this method's; NaN without a baseline. */
  public double wallSpeedup(MethodRun r) {
    return run("baseline").map(b -> b.wallSeconds() / r.wallSeconds()).orElse(Double.NaN);
  }

  /** Baseline training-loop time over this method's; NaN without a baseline or a measure. */
  public double loopSpeedup(MethodRun r) {
    return run("baseline").map(b -> b.loopSeconds() / r.loopSeconds()).orElse(Double.NaN);
  }
}
