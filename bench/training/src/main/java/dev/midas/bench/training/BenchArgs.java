package dev.midas.bench.training;

import java.util.List;

/** {@code --name value} and {@code --flag} arguments of the benchmark mains. */
final class BenchArgs {
  private final List<String> args;

  BenchArgs(String[] args) {
    this.args = List.of(args);
  }

  String string(String name, String fallback) {
    int i = args.indexOf(name);
    if (i < 0) {
      return fallback;
    }
    if (i + 1 >= args.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args.get(i + 1);
  }

  int integer(String name, int fallback) {
    String v = string(name, null);
    return v == null ? fallback : Integer.parseInt(v);
  }

  boolean flag(String name) {
    return args.contains(name);
  }
}
