package dev.midas.store;

/**
 * The rule for object keys, the same on every store: '/'-separated, relative, no empty, "." or ".."
 * segments, no backslash, so a key can never escape the store's root on a file system.
 */
public final class Keys {
  private Keys() {}

  /** Returns {@code key} when it is well formed. */
  public static String check(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("object key is empty");
    }
    if (key.startsWith("/") || key.endsWith("/") || key.contains("\\") || key.contains("\0")) {
      throw new IllegalArgumentException("object key '" + key + "' is not a relative file key");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "object key '" + key + "' has an empty, '.' or '..' segment");
      }
    }
    return key;
  }

  /** Returns {@code prefix} when it is empty or a well-formed key, optionally ending in '/'. */
  public static String checkPrefix(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      return "";
    }
    check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
    return prefix;
  }
}
