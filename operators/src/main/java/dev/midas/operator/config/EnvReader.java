package dev.midas.operator.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads typed values from the operator's environment, failing at start-up with the variable's name
 * when one cannot be read: a typo in the Deployment should stop the operator, not be ignored.
 */
final class EnvReader {
  private final Map<String, String> env;

  EnvReader(Map<String, String> env) {
    this.env = env;
  }

  String string(String name, String dflt) {
    return optional(name).orElse(dflt);
  }

  Optional<String> optional(String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
  }

  long number(String name, long dflt) {
    Optional<String> v = optional(name);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.get());
      if (n < 0) {
        throw new IllegalArgumentException(name + "=" + v.get() + " must not be negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "=" + v.get() + " is not a whole number");
    }
  }

  Duration seconds(String name, Duration dflt) {
    return Duration.ofSeconds(number(name, dflt.toSeconds()));
  }

  /** A comma-separated list; blank entries dropped. */
  List<String> list(String name) {
    return optional(name)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  boolean flag(String name, boolean dflt) {
    Optional<String> v = optional(name);
    if (v.isEmpty()) {
      return dflt;
    }
    return switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new IllegalArgumentException(name + "=" + v.get() + " is not true or false");
    };
  }
}
