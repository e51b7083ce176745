package dev.midas.plan.layout;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Object-store keys of one run, the layout contract of ARCHITECTURE.md, relative to the store root:
 *
 * <pre>
 * runs/&lt;experiment&gt;/&lt;uid&gt;/spec                                frozen experiment spec
 * runs/&lt;experiment&gt;/&lt;uid&gt;/stages/stage-NN/ckpt/step-NNNNNNNNN/   checkpoint + MANIFEST (last)
 * runs/&lt;experiment&gt;/&lt;uid&gt;/stages/stage-NN/grown/               stage NN grown for NN+1 + MANIFEST
 * runs/&lt;experiment&gt;/&lt;uid&gt;/stages/stage-NN/heartbeat             progress, overwritten
 * runs/&lt;experiment&gt;/&lt;uid&gt;/stages/stage-NN/result.json           the stage's StageResult
 * runs/&lt;experiment&gt;/&lt;uid&gt;/stages/stage-NN/evaluation/         heartbeat, result.json
 * runs/&lt;experiment&gt;/&lt;uid&gt;/stages/stage-NN/report/             report after stage NN &lt; k
 * runs/&lt;experiment&gt;/&lt;uid&gt;/report/                               report, plots + MANIFEST (last)
 * </pre>
 *
 * A sweep's comparison report uses the same layout with the sweep's name and uid: {@code
 * runs/<sweep>/<uid>/report/}.
 *
 * <p>The grown checkpoint lives with the stage that produced it: stage i's {@code grown/} is stage
 * i+1's init. Checkpoint folders are named by global step. Names are checked by {@link SafeNames},
 * so no key can escape its run.
 */
public record RunLayout(String experiment, String uid) {
  public static final String MANIFEST = "MANIFEST";
  public static final int MAX_STAGE = 99;
  public static final long MAX_STEP = 999_999_999L;
  private static final Pattern STEP = Pattern.compile("/ckpt/step-(\\d{9})/");
  private static final Pattern RUN = Pattern.compile("^runs/([^/]+)/([^/]+)/");

  public RunLayout {
    SafeNames.require("experiment name", experiment);
    SafeNames.require("run uid", uid);
  }

  /** Everything of this run lives under this prefix. */
  public String runPrefix() {
    return "runs/" + experiment + "/" + uid + "/";
  }

  public String specKey() {
    return runPrefix() + "spec";
  }

  public String stagePrefix(int stage) {
    if (stage < 1 || stage > MAX_STAGE) {
      throw new IllegalArgumentException("stage " + stage + " is outside 1.." + MAX_STAGE);
    }
    return runPrefix() + String.format("stages/stage-%02d/", stage);
  }

  /** Folder holding every periodic, preempted and stage-final checkpoint of a stage. */
  public String checkpointsPrefix(int stage) {
    return stagePrefix(stage) + "ckpt/";
  }

  /** Folder of the checkpoint taken at a global step. */
  public String checkpointPrefix(int stage, long globalStep) {
    if (globalStep < 0 || globalStep > MAX_STEP) {
      throw new IllegalArgumentException("step " + globalStep + " is outside 0.." + MAX_STEP);
    }
    return checkpointsPrefix(stage) + String.format("step-%09d/", globalStep);
  }

  /** Folder of stage {@code stage}'s final checkpoint grown by one block: stage+1's init. */
  public String grownPrefix(int stage) {
    return stagePrefix(stage) + "grown/";
  }

  public String heartbeatKey(int stage) {
    return stagePrefix(stage) + "heartbeat";
  }

  public String resultKey(int stage) {
    return stagePrefix(stage) + "result.json";
  }

  /** LAG's decision at the growth into {@code stage} (LagRecord JSON), written once. */
  public String lagKey(int stage) {
    return stagePrefix(stage) + "lag.json";
  }

  /** The run's report (the evaluation after its last stage; a sweep's comparison report). */
  public String reportPrefix() {
    return runPrefix() + "report/";
  }

  /**
   * Where the evaluation after stage {@code stage} of {@code numStages} commits its report: the
   * run's {@link #reportPrefix()} after the last stage, the stage's own {@code report/} before.
   */
  public String reportPrefix(int stage, int numStages) {
    return stage == numStages ? reportPrefix() : stagePrefix(stage) + "report/";
  }

  /** Heartbeat of the evaluation after stage {@code stage}, overwritten while it runs. */
  public String evaluationHeartbeatKey(int stage) {
    return stagePrefix(stage) + "evaluation/heartbeat";
  }

  /** Result of the evaluation after stage {@code stage}'s last attempt. */
  public String evaluationResultKey(int stage) {
    return stagePrefix(stage) + "evaluation/result.json";
  }

  /** The MANIFEST key of an artifact folder. */
  public static String manifestKey(String prefix) {
    return (prefix.endsWith("/") ? prefix : prefix + "/") + MANIFEST;
  }

  /** The folder of an artifact from its MANIFEST key. */
  public static String folderOf(String manifestKey) {
    if (!manifestKey.endsWith("/" + MANIFEST)) {
      throw new IllegalArgumentException(manifestKey + " is not a MANIFEST key");
    }
    return manifestKey.substring(0, manifestKey.length() - MANIFEST.length());
  }

  /** The run a key inside a run's folder belongs to ({@code runs/<experiment>/<uid>/...}). */
  public static Optional<RunLayout> ofKey(String key) {
    Matcher m = RUN.matcher(key);
    if (!m.find()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new RunLayout(m.group(1), m.group(2)));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not names a run could have
    }
  }

  /** The global step of a key inside a checkpoint folder, if it is in one. */
  public static OptionalLong stepOf(String key) {
    Matcher m = STEP.matcher(key);
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }
}
