package dev.midas.operator.launch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic names of everything the operator creates, so that a restarted operator finds what
 * it made before instead of making it twice. Names stay DNS labels (at most 63 characters): a long
 * experiment name is cut and a short hash of the whole name keeps it unique.
 */
public final class JobNames {
  public static final int MAX = 63;

  private JobNames() {}

  /** Job of attempt {@code attempt} (1-based) of stage {@code stage}. */
  public static String stage(String experiment, int stage, int attempt) {
    return fit(experiment, String.format("-s%02d-a%d", stage, attempt));
  }

  /** Job of attempt {@code attempt} of the evaluation after stage {@code stage}. */
  public static String evaluation(String experiment, int stage, int attempt) {
    return fit(experiment, String.format("-e%02d-a%d", stage, attempt));
  }

  /** Job of attempt {@code attempt} of a sweep's comparison report. */
  public static String sweepReport(String sweep, int attempt) {
    return fit(sweep, String.format("-report-a%d", attempt));
  }

  /** ConfigMap of one LAG candidate growing into {@code stage} (its spec). */
  public static String lagCandidate(String experiment, int stage, String operator) {
    return fit(experiment, String.format("-s%02d-lag-%s", stage, operator));
  }

  /** Job of attempt {@code attempt} (1-based) of one LAG candidate growing into {@code stage}. */
  public static String lagCandidate(String experiment, int stage, String operator, int attempt) {
    return fit(experiment, String.format("-s%02d-lag-%s-a%d", stage, operator, attempt));
  }

  /** ConfigMap holding the experiment resource that stage pods read as their spec. */
  public static String specConfigMap(String experiment) {
    return fit(experiment, "-spec");
  }

  /**
   * The child experiment of a sweep for one point of its grid, named by a hash of the point's axis
   * values: the same point keeps its name when the sweep's axes are edited or reordered.
   */
  public static String sweepChild(String sweep, String point) {
    return fit(sweep, "-" + hex(point, 5));
  }

  /** Run uid of a LAG candidate: its own folder beside the experiment's run. */
  public static String lagUid(String uid, int stage, String operator) {
    return fit(uid, dev.midas.plan.lag.LagPlan.probeSuffix(stage, operator));
  }

  static String fit(String base, String suffix) {
    if (base.length() + suffix.length() <= MAX) {
      return base + suffix;
    }
    String hash = shortHash(base);
    String head = base.substring(0, MAX - suffix.length() - hash.length() - 1);
    while (head.endsWith("-")) {
      head = head.substring(0, head.length() - 1);
    }
    return head + "-" + hash + suffix;
  }

  private static String shortHash(String s) {
    return hex(s, 3);
  }

  /** The first {@code bytes} bytes of the SHA-256 of {@code s}, in hex. */
  private static String hex(String s, int bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
