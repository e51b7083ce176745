package dev.midas.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Tensors by stable name ({@code layers.3.attn.q.weight}), in insertion order. Parameters, and each
 * Adam moment, are one of these; growth is a mapping of names.
 */
public final class NamedTensors {
  private final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();

  public NamedTensors put(String name, Tensor t) {
    tensors.put(name, t);
    return this;
  }

  public Tensor get(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no tensor named " + name);
    }
    return t;
  }

  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  public Set<String> names() {
    return Collections.unmodifiableSet(tensors.keySet());
  }

  public Map<String, Tensor> asMap() {
    return Collections.unmodifiableMap(tensors);
  }

  public int size() {
    return tensors.size();
  }

  /** Deep copy. */
  public NamedTensors copy() {
    NamedTensors c = new NamedTensors();
    tensors.forEach((k, v) -> c.put(k, v.copy()));
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamedTensors n && tensors.equals(n.tensors);
  }

  @Override
  public int hashCode() {
    return tensors.hashCode();
  }
}
