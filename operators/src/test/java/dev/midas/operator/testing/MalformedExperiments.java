package dev.midas.operator.testing;

import dev.midas.plan.spec.ExperimentSpec;
import dev.midas.plan.spec.LagSpec;
import dev.midas.plan.spec.ResourcesSpec;
import dev.midas.plan.spec.RetrySpec;
import dev.midas.plan.spec.StorageSpec;
import java.util.List;
import java.util.function.Consumer;

/**
 * Malformed variants of {@code experiments/three-stage.yaml}, each with the words its rejection
 * must name and whether the CRD's CEL rules can catch it (the rest needs the operator: cross-field
 * counts, bounds, URL schemes of endpoints, required fields CEL does not list).
 */
public final class MalformedExperiments {
  private MalformedExperiments() {}

  /** One malformed experiment. */
  public record Case(String name, String problem, Consumer<ExperimentSpec> breakIt) {
    @Override
    public String toString() {
      return name;
    }
  }

  public static final List<Case> CASES =
      List.of(
          new Case(
              "layers-not-multiple",
              "not a multiple of growth.blockSize",
              s -> s.model.targetLayers = 7),
          new Case("block-zero", "growth.blockSize", s -> s.growth.blockSize = 0),
          new Case("no-growth", "growth.blockSize", s -> s.growth = null),
          new Case("no-target-layers", "model.targetLayers", s -> s.model.targetLayers = null),
          new Case("zero-steps", "schedule.totalSteps", s -> s.schedule.totalSteps = 0L),
          new Case("no-total-steps", "schedule.totalSteps", s -> s.schedule.totalSteps = null),
          new Case("unknown-operator", "growth.operator", s -> s.growth.operator = "midsa"),
          new Case(
              "unknown-optimizer-state",
              "growth.optimizerState",
              s -> s.growth.optimizerState = "keep"),
          new Case("map-without-map", "growth.map", s -> s.growth.operator = "map"),
          new Case("lag-no-candidates", "growth.lag", s -> s.growth.lag = lag(List.of(), 5L)),
          new Case(
              "lag-unknown-candidate",
              "growth.lag",
              s -> s.growth.lag = lag(List.of("midas", "double"), 5L)),
          new Case(
              "lag-zero-steps",
              "growth.lag",
              s -> s.growth.lag = lag(List.of("midas", "zero"), 0L)),
          new Case("unknown-schedule", "schedule.type", s -> s.schedule.type = "cosine"),
          new Case("negative-alpha", "schedule.alpha", s -> s.schedule.alpha = -1.0),
          new Case(
              "explicit-without-steps", "schedule.stageSteps", s -> s.schedule.type = "explicit"),
          new Case(
              "explicit-wrong-count",
              "schedule.stageSteps",
              s -> {
                s.schedule.type = "explicit";
                s.schedule.stageSteps = List.of(10L, 20L);
              }),
          new Case("zero-batch", "schedule.batchSize", s -> s.schedule.batchSize = 0),
          new Case(
              "zero-checkpoint-every",
              "schedule.checkpointEvery",
              s -> s.schedule.checkpointEvery = 0L),
          new Case(
              "hdfs-root", "storage.root", s -> s.storage = storage("hdfs://namenode/runs", null)),
          new Case("heads-do-not-divide", "model.dModel", s -> s.model.dModel = 30),
          new Case("negative-retry-limit", "retry.limit", s -> s.retry = retry(-1)),
          new Case("negative-gpu", "resources.gpu", s -> s.resources = gpu(-1)),
          new Case("no-vocab", "model.vocabSize", s -> s.model.vocabSize = null),
          new Case(
              "seq-len-two-billion",
              "model.seqLen 2000000000 must be at most 131072",
              s -> s.model.seqLen = 2_000_000_000),
          new Case(
              "tokens-per-step-overflow",
              "schedule.batchSize 65536 x (model.seqLen 131072 + 1) = 8590000128 tokens per step",
              s -> {
                s.schedule.batchSize = 65536;
                s.model.seqLen = 131072;
              }),
          new Case(
              "memory-below-need",
              "resources.memory 1Ki is less than the",
              s -> s.resources.memory = "1Ki"),
          new Case(
              "ftp-endpoint", "storage.endpoint", s -> s.storage = endpoint("ftp://store.local")));

  /** Cases the CRD's CEL rules must reject on their own. */
  public static final List<String> CAUGHT_BY_CEL =
      List.of(
          "layers-not-multiple",
          "block-zero",
          "no-growth",
          "no-target-layers",
          "zero-steps",
          "no-total-steps",
          "unknown-operator",
          "unknown-optimizer-state",
          "map-without-map",
          "lag-no-candidates",
          "lag-unknown-candidate",
          "lag-zero-steps",
          "unknown-schedule",
          "negative-alpha",
          "explicit-without-steps",
          "zero-batch",
          "zero-checkpoint-every",
          "hdfs-root",
          "heads-do-not-divide",
          "negative-retry-limit",
          "negative-gpu");

  private static LagSpec lag(List<String> candidates, Long steps) {
    LagSpec l = new LagSpec();
    l.candidates = candidates;
    l.steps = steps;
    return l;
  }

  private static StorageSpec storage(String root, String secret) {
    StorageSpec s = new StorageSpec();
    s.root = root;
    s.secretRef = secret;
    return s;
  }

  private static StorageSpec endpoint(String endpoint) {
    StorageSpec s = new StorageSpec();
    s.endpoint = endpoint;
    return s;
  }

  private static RetrySpec retry(int limit) {
    RetrySpec r = new RetrySpec();
    r.limit = limit;
    return r;
  }

  private static ResourcesSpec gpu(int gpu) {
    ResourcesSpec r = new ResourcesSpec();
    r.gpu = gpu;
    return r;
  }
}
