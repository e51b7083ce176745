package dev.midas.plan.layout;

import java.util.regex.Pattern;

/**
 * The one rule for names that become object-store paths, Kubernetes object names and label values:
 * lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63
 * characters (a DNS label). Experiment names and run uids both follow it.
 */
public final class SafeNames {
  public static final int MAX_LENGTH = 63;
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

  private SafeNames() {}

  public static boolean isSafe(String name) {
    return name != null && name.length() <= MAX_LENGTH && LABEL.matcher(name).matches();
  }

  /** Why {@code name} is not safe, in the user's terms, or null when it is. */
  public static String problem(String what, String name) {
    if (name == null || name.isEmpty()) {
      return what + " is required";
    }
    if (name.length() > MAX_LENGTH) {
      return what + " '" + name + "' is " + name.length() + " characters; at most 63 are allowed";
    }
    if (!LABEL.matcher(name).matches()) {
      return what
          + " '"
          + name
          + "' may only hold a-z, 0-9 and '-', and must start and end with a letter or digit";
    }
    return null;
  }

  /** Throws {@link IllegalArgumentException} carrying {@link #problem} unless the name is safe. */
  public static String require(String what, String name) {
    String p = problem(what, name);
    if (p != null) {
      throw new IllegalArgumentException(p);
    }
    return name;
  }
}
