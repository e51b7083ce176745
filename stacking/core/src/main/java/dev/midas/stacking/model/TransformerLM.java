package dev.midas.stacking.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.midas.checkpoint.NamedTensors;
import dev.midas.plan.spec.Precision;
import dev.midas.proto.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The decoder-only transformer: token embedding (+ learned positions), {@code n_layers} pre-norm
 * {@link DecoderLayer}s, final norm, LM head (or the embedding, tied). Input token ids [B, T],
 * output logits [B, T, V]. A looped model ({@code loop} above 1) applies its layers as one block
 * {@code loop} times, the same weights each time: {@link #depth()} layers computed.
 *
 * <p>A model owns an {@link NDManager} holding its parameters; every parameter has the stable name
 * of {@link ParameterLayout}, and {@link #toNamedTensors()} / {@link #fromParams} convert both ways
 * bit for bit. Callers run {@link #logits} inside their own sub-manager: results land next to the
 * input, never in the model's manager.
 *
 * <p>Parameters are always float32; under {@link Precision#BF16_MIXED} the matrix products and
 * attention compute in bfloat16 ({@link Bf16Compute}) and the logits come back as float32.
 */
public final class TransformerLM extends AbstractBlock implements AutoCloseable {
  private final ModelConfig config;
  private final NDManager manager;
  private final Map<String, Parameter> parameters;
  private final Parameter embed;
  private final Parameter pos;
  private final Parameter head;
  private final List<DecoderLayer> layers = new ArrayList<>();
  private final int depth;
  private final Norm finalNorm;
  private final Precision precision;
  private final boolean bf16;

  private TransformerLM(
      ModelConfig c, NDManager manager, NamedTensors values, Precision precision) {
    this.config = c;
    this.manager = manager;
    this.precision = precision;
    this.bf16 = precision == Precision.BF16_MIXED;
    ParameterBank bank = new ParameterBank(manager, values);
    Map<String, long[]> shapes = ParameterLayout.shapes(c);
    embed = addParameter(bank.take("embed.weight", shapes.get("embed.weight")));
    pos =
        shapes.containsKey("pos.weight")
            ? addParameter(bank.take("pos.weight", shapes.get("pos.weight")))
            : null;
    PositionTables tables = new PositionTables(manager, c.getDModel() / c.getNHeads());
    for (int i = 0; i < c.getNLayers(); i++) {
      layers.add(addChildBlock("layers." + i, new DecoderLayer(bank, c, i, tables, bf16)));
    }
    depth = ModelConfigs.depth(c);
    finalNorm =
        addChildBlock("final_norm", new Norm(bank, "final_norm", c.getNorm(), c.getDModel()));
    head =
        c.getTieEmbeddings()
            ? null
            : addParameter(bank.take("head.weight", shapes.get("head.weight")));
    this.parameters = bank.parameters();
    Set<String> extra = new TreeSet<>(values.names());
    extra.removeAll(parameters.keySet());
    if (!extra.isEmpty()) {
      throw new ModelConfigException("parameters not in the model config: " + extra);
    }
  }

  /**
   * Compiles the forward pass's script functions now (they compile on first use otherwise), on
   * whichever thread loads the engine.
   */
  public static void compileScripts(Precision precision) {
    CausalSelfAttention.compileScripts();
    if (precision == Precision.BF16_MIXED) {
      Bf16Compute.compileScripts();
    }
  }

  /** A freshly initialised model ({@link ParameterInit}) on the PyTorch engine. */
  public static TransformerLM create(ModelConfig config, long seed) {
    return fromParams(config, ParameterInit.model(config, seed));
  }

  /** A model holding exactly these parameter values (copied into engine arrays), in fp32. */
  public static TransformerLM fromParams(ModelConfig config, NamedTensors params) {
    return fromParams(config, params, Precision.FP32);
  }

  /**
   * A model holding exactly these parameter values as float32 masters, computing its forward pass
   * in {@code precision}.
   */
  public static TransformerLM fromParams(
      ModelConfig config, NamedTensors params, Precision precision) {
    ModelConfig c = ModelConfigs.normalize(config);
    NDManager m = PyTorchRuntime.engine().newBaseManager();
    try {
      return new TransformerLM(c, m, params, precision);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  public ModelConfig config() {
    return config;
  }

  /** The forward pass's compute precision. */
  public Precision precision() {
    return precision;
  }

  /** The manager holding the parameters; open per-step sub-managers from it. */
  public NDManager manager() {
    return manager;
  }

  /** Every parameter by stable name, in canonical order. */
  public Map<String, Parameter> namedParameters() {
    return parameters;
  }

  /** Logits [B, T, V] for token ids [B, T] (int32 or int64), T at most seq_len. */
  public NDArray logits(NDArray tokens) {
    return head(hidden(tokens));
  }

  /** The last layer's output [B, T, D] for token ids [B, T]: the head's input, before its norm. */
  public NDArray hidden(NDArray tokens) {
    NDArray h = embed(tokens);
    for (int i = 0; i < depth; i++) {
      h = applyLayer(i, h);
    }
    return h;
  }

  /**
   * The last layer's output [B, T, D] of packed rows ({@link TokenLayout}): each token embedded at
   * its own position and attending only where the layout allows. Rows may be longer than seq_len as
   * long as no position id reaches it.
   */
  public NDArray hidden(NDArray tokens, TokenLayout layout) {
    if (layout.maxPosition() >= config.getSeqLen()) {
      throw new IllegalArgumentException(
          "position " + layout.maxPosition() + " is beyond seq_len " + config.getSeqLen());
    }
    NDArray h =
        Embedding.embedding(tokens, embed.getArray(), SparseFormat.DENSE).singletonOrThrow();
    if (pos != null) {
      NDArray p =
          Embedding.embedding(layout.positions(), pos.getArray(), SparseFormat.DENSE)
              .singletonOrThrow();
      h = h.add(ModuleBlock.scoped(p, h));
    }
    for (int i = 0; i < depth; i++) {
      h = layers.get(i % layers.size()).apply(h, layout);
    }
    return h;
  }

  /**
   * Logits [N, V] at N chosen positions of hidden states [B, T, D]: {@code at} holds int64 indices
   * into the B * T positions, row-major ({@code b * T + t}). The norm and the head are per
   * position, so these are the rows of {@code head(hidden)} at {@code at}; the vocabulary-sized
   * product and anything after it (log-softmax, its gradient) cost N rows instead of B * T.
   */
  public NDArray headAt(NDArray hidden, NDArray at) {
    Shape s = hidden.getShape();
    return head(hidden.reshape(s.get(0) * s.get(1), s.get(2)).get(at));
  }

  /**
   * The residual stream entering layer 0: token embeddings plus learned positions, [B, T, D]. With
   * {@link #applyLayer} and {@link #head} it opens the forward pass up for layer-wise analysis.
   */
  public NDArray embed(NDArray tokens) {
    long t = tokens.getShape().get(1);
    if (t > config.getSeqLen()) {
      throw new IllegalArgumentException(
          "sequence of " + t + " tokens is longer than seq_len " + config.getSeqLen());
    }
    NDArray h =
        Embedding.embedding(tokens, embed.getArray(), SparseFormat.DENSE).singletonOrThrow();
    if (pos != null) {
      h = h.add(ModuleBlock.scoped(pos.getArray().get(new NDIndex("0:" + t)), h));
    }
    return h;
  }

  /** The layers the forward pass computes: n_layers, or n_layers * loop for a looped model. */
  public int depth() {
    return depth;
  }

  /**
   * Layer {@code i} (0 .. depth - 1) applied to hidden states [B, T, D], residual included; in a
   * looped model that is stored layer {@code i mod n_layers}.
   */
  public NDArray applyLayer(int i, NDArray hidden) {
    return layers.get(i % layers.size()).apply(hidden);
  }

  /** Logits [B, T, V] from the last layer's output: final norm, then the (tied) head. */
  public NDArray head(NDArray hidden) {
    NDArray h = finalNorm.apply(hidden);
    NDArray out = head != null ? head.getArray() : embed.getArray();
    return bf16 ? Bf16Compute.logits(h, out) : Linear.linear(h, out).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(logits(inputs.singletonOrThrow()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), in.get(1), config.getVocabSize())};
  }

  /** The current parameter values, copied out of the engine bit for bit. */
  public NamedTensors toNamedTensors() {
    NamedTensors t = new NamedTensors();
    parameters.forEach((name, p) -> t.put(name, TensorArrays.toTensor(p.getArray())));
    return t;
  }

  @Override
  public void close() {
    manager.close();
  }
}
