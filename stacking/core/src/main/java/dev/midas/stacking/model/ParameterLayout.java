package dev.midas.stacking.model;

import dev.midas.proto.ModelConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stable parameter names and shapes of a model, in canonical order. Growth is a mapping of
 * these names: {@code layers.<j>.*} of the grown model comes from {@code layers.<src(j)>.*}.
 *
 * <pre>
 * embed.weight [V, D]            pos.weight [S, D] (learned positions only)
 * layers.i.ln1.gamma [D]         layers.i.ln1.beta [D] (layernorm only)
 * layers.i.attn.{q,k,v,o}.weight [D, D], .bias [D]
 * layers.i.ln2.gamma/beta        layers.i.mlp.fc1.weight [F, D], .bias [F]
 * layers.i.mlp.fc2.weight [D, F], .bias [D]
 * final_norm.gamma/beta          head.weight [V, D] (untied only)
 * </pre>
 *
 * Linear weights are [out, in] (y = x W^T + b), as in PyTorch.
 */
public final class ParameterLayout {
  private static final Pattern LAYER = Pattern.compile("^layers\\.(\\d+)\\.(.+)$");

  /** The parameters of one layer that write into the residual stream (zeroed by growth "zero"). */
  public static final String[] OUTPUT_PROJECTIONS = {
    "attn.o.weight", "attn.o.bias", "mlp.fc2.weight", "mlp.fc2.bias"
  };

  private ParameterLayout() {}

  /** Every parameter of a (normalized) config, name to shape, in canonical order. */
  public static Map<String, long[]> shapes(ModelConfig c) {
    Map<String, long[]> s = new LinkedHashMap<>();
    long v = c.getVocabSize();
    long d = c.getDModel();
    s.put("embed.weight", new long[] {v, d});
    if (ModelConfigs.LEARNED.equals(c.getPositions())) {
      s.put("pos.weight", new long[] {c.getSeqLen(), d});
    }
    for (int i = 0; i < c.getNLayers(); i++) {
      s.putAll(layerShapes(c, i));
    }
    putNorm(s, c, "final_norm");
    if (!c.getTieEmbeddings()) {
      s.put("head.weight", new long[] {v, d});
    }
    return s;
  }

  /** The parameters of layer {@code i}, name to shape, in canonical order. */
  public static Map<String, long[]> layerShapes(ModelConfig c, int i) {
    Map<String, long[]> s = new LinkedHashMap<>();
    long d = c.getDModel();
    long f = c.getDFf();
    String p = layerPrefix(i);
    putNorm(s, c, p + "ln1");
    for (String proj : new String[] {"q", "k", "v", "o"}) {
      s.put(p + "attn." + proj + ".weight", new long[] {d, d});
      s.put(p + "attn." + proj + ".bias", new long[] {d});
    }
    putNorm(s, c, p + "ln2");
    s.put(p + "mlp.fc1.weight", new long[] {f, d});
    s.put(p + "mlp.fc1.bias", new long[] {f});
    s.put(p + "mlp.fc2.weight", new long[] {d, f});
    s.put(p + "mlp.fc2.bias", new long[] {d});
    return s;
  }

  private static void putNorm(Map<String, long[]> s, ModelConfig c, String prefix) {
    s.put(prefix + ".gamma", new long[] {c.getDModel()});
    if (ModelConfigs.LAYERNORM.equals(c.getNorm())) {
      s.put(prefix + ".beta", new long[] {c.getDModel()});
    }
  }

  public static String layerPrefix(int i) {
    return "layers." + i + ".";
  }

  /** The layer index of a per-layer parameter name, or -1 for embeddings, final norm and head. */
  public static int layerOf(String name) {
    Matcher m = LAYER.matcher(name);
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** The same parameter of another layer: {@code renameLayer("layers.3.attn.q.weight", 5)}. */
  public static String renameLayer(String name, int layer) {
    Matcher m = LAYER.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException(name + " is not a per-layer parameter");
    }
    return layerPrefix(layer) + m.group(2);
  }

  /** True for matrices (weights, embeddings), which take weight decay; false for biases, norms. */
  public static boolean isMatrix(long[] shape) {
    return shape.length >= 2;
  }
}
