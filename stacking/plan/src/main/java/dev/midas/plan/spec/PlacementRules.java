package dev.midas.plan.spec;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Validation and defaults of where things run and live: data, storage, resources, retries. */
final class PlacementRules {
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  private PlacementRules() {}

  static ResolvedSpec.Data data(Violations v, DataSpec d) {
    if (d == null) {
      return new ResolvedSpec.Data(Optional.empty(), Optional.empty());
    }
    return new ResolvedSpec.Data(
        storeUri(v, "data.dataset", d.dataset), storeUri(v, "data.primitives", d.primitives));
  }

  static ResolvedSpec.Evaluation evaluation(Violations v, EvaluationSpec e) {
    EvaluationSpec s = e == null ? new EvaluationSpec() : e;
    return new ResolvedSpec.Evaluation(
        v.positive(
            "evaluation.valBatches",
            s.valBatches,
            SpecDefaults.VAL_BATCHES,
            SpecBounds.MAX_VAL_BATCHES),
        SpecValidator.nonBlank(v, "evaluation.tasks", s.tasks),
        v.nonNegative("evaluation.shots", s.shots, SpecDefaults.SHOTS, SpecBounds.MAX_SHOTS),
        Boolean.TRUE.equals(s.finetune),
        v.positive(
            "evaluation.evalPerTask",
            s.evalPerTask,
            SpecDefaults.EVAL_PER_TASK,
            SpecBounds.MAX_EVAL_INSTANCES),
        v.positive(
            "evaluation.finetuneExamples",
            s.finetuneExamples,
            SpecDefaults.FINETUNE_EXAMPLES,
            SpecBounds.MAX_EVAL_INSTANCES),
        v.positive(
            "evaluation.finetuneSeeds",
            s.finetuneSeeds,
            SpecDefaults.FINETUNE_SEEDS,
            SpecBounds.MAX_FINETUNE_SEEDS),
        v.nonNegative(
            "evaluation.finetuneSteps",
            s.finetuneSteps,
            SpecDefaults.FINETUNE_STEPS,
            SpecBounds.MAX_FINETUNE_STEPS),
        v.positive(
            "evaluation.analysisTokens",
            s.analysisTokens,
            SpecDefaults.ANALYSIS_TOKENS,
            SpecBounds.MAX_ANALYSIS_TOKENS),
        Boolean.TRUE.equals(s.everyStage),
        e != null,
        s.lagAnalysisStage == null ? 0 : s.lagAnalysisStage);
  }

  static ResolvedSpec.Storage storage(Violations v, StorageSpec st) {
    StorageSpec s = st == null ? new StorageSpec() : st;
    Optional<String> endpoint = Optional.ofNullable(s.endpoint);
    endpoint.ifPresent(
        ep -> {
          URI u = parse(v, "storage.endpoint", ep);
          if (u != null && !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
            v.add("storage.endpoint '" + ep + "' must be an http:// or https:// URL");
          }
        });
    if (s.region != null && s.region.isBlank()) {
      v.add("storage.region is empty");
    }
    if (s.secretRef != null && !DNS_SUBDOMAIN.matcher(s.secretRef).matches()) {
      v.add("storage.secretRef '" + s.secretRef + "' is not a valid Secret name");
    }
    return new ResolvedSpec.Storage(
        storeUri(v, "storage.root", s.root),
        endpoint,
        s.region == null || s.region.isBlank() ? SpecDefaults.REGION : s.region,
        s.pathStyle == null ? endpoint.isPresent() : s.pathStyle,
        Optional.ofNullable(s.secretRef));
  }

  static ResolvedSpec.Resources resources(Violations v, ResourcesSpec r) {
    ResourcesSpec s = r == null ? new ResourcesSpec() : r;
    quantity(v, "resources.cpu", s.cpu, SpecBounds.MAX_CPU);
    quantity(v, "resources.memory", s.memory, SpecBounds.MAX_MEMORY_BYTES);
    if (s.queue != null && !LABEL_VALUE.matcher(s.queue).matches()) {
      v.add("resources.queue '" + s.queue + "' is not a valid label value");
    }
    if (s.priorityClassName != null && !DNS_SUBDOMAIN.matcher(s.priorityClassName).matches()) {
      v.add("resources.priorityClassName '" + s.priorityClassName + "' is not a valid name");
    }
    List<ResolvedSpec.Toleration> tolerations = new java.util.ArrayList<>();
    for (int i = 0; s.tolerations != null && i < s.tolerations.size(); i++) {
      TolerationSpec t = s.tolerations.get(i);
      if (t == null) {
        v.add("resources.tolerations[" + i + "] is empty");
        continue;
      }
      v.nonNegative(
          "resources.tolerations[" + i + "].tolerationSeconds",
          t.tolerationSeconds,
          0L,
          SpecBounds.MAX_TOLERATION_SECONDS);
      tolerations.add(
          new ResolvedSpec.Toleration(t.key, t.operator, t.value, t.effect, t.tolerationSeconds));
    }
    return new ResolvedSpec.Resources(
        Optional.ofNullable(s.image),
        v.nonNegative("resources.gpu", s.gpu, 0, SpecBounds.MAX_GPU),
        Optional.ofNullable(s.cpu),
        Optional.ofNullable(s.memory),
        s.nodeSelector == null ? Map.of() : s.nodeSelector,
        tolerations,
        Optional.ofNullable(s.priorityClassName),
        Optional.ofNullable(s.queue));
  }

  static ResolvedSpec.Retry retry(Violations v, RetrySpec r) {
    RetrySpec s = r == null ? new RetrySpec() : r;
    return new ResolvedSpec.Retry(
        v.nonNegative("retry.limit", s.limit, SpecDefaults.RETRY_LIMIT, SpecBounds.MAX_RETRY_LIMIT),
        v.nonNegative(
            "retry.backoffSeconds",
            s.backoffSeconds,
            SpecDefaults.RETRY_BACKOFF_SECONDS,
            SpecBounds.MAX_BACKOFF_SECONDS));
  }

  /** A {@code file:///absolute/path} or {@code s3://bucket/prefix} URI, when given. */
  private static Optional<String> storeUri(Violations v, String path, String value) {
    if (value == null) {
      return Optional.empty();
    }
    URI u = parse(v, path, value);
    if (u == null) {
      return Optional.empty();
    }
    String scheme = u.getScheme();
    if (!AllowedValues.STORAGE_SCHEMES.contains(scheme)) {
      v.add(path + " '" + value + "' must be a file:// or s3:// URI");
    } else if ("s3".equals(scheme) && (u.getHost() == null || u.getHost().isEmpty())) {
      v.add(path + " '" + value + "' names no bucket (s3://bucket/prefix)");
    } else if ("file".equals(scheme)
        && (u.getAuthority() != null || u.getPath() == null || !u.getPath().startsWith("/"))) {
      v.add(path + " '" + value + "' must be an absolute file:///path");
    }
    return Optional.of(value);
  }

  private static URI parse(Violations v, String path, String value) {
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      v.add(path + " '" + value + "' is not a URI: " + e.getReason());
      return null;
    }
  }

  private static void quantity(Violations v, String path, String value, BigDecimal max) {
    if (value == null) {
      return;
    }
    Optional<BigDecimal> q = Quantities.parse(value);
    if (q.isEmpty()) {
      v.add(path + " '" + value + "' is not a Kubernetes quantity (e.g. 2, 500m, 8Gi)");
    } else if (q.get().signum() <= 0) {
      v.add(path + " '" + value + "' must be more than zero");
    } else if (q.get().compareTo(max) > 0) {
      v.add(path + " '" + value + "' must be at most " + max.toPlainString());
    }
  }
}
