package dev.midas.stacking.growth;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.Tensor;
import dev.midas.checkpoint.TrainState;
import dev.midas.plan.lag.LagPlan;
import dev.midas.proto.GrowthRecord;
import dev.midas.proto.ModelConfig;
import dev.midas.proto.TrainPosition;
import dev.midas.stacking.model.ModelConfigs;
import dev.midas.stacking.model.ParameterInit;
import dev.midas.stacking.model.ParameterLayout;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Applies a growth operator to a train state: a pure function on named tensors, no engine. Layer
 * {@code j} of the grown model gets a deep copy of old layer {@code src[j]}; embeddings, positions,
 * final norm and head carry over unchanged (copied too, so nothing is shared with the input).
 *
 * <p>Adam moments follow the parameters under policy copy (fresh or zeroed tensors get zero
 * moments); policy reset drops them and sets the optimizer step to 0. The global step and data
 * cursor carry over; the stage step restarts at 0 because the result is the next stage's init.
 */
public final class Growth {
  private Growth() {}

  public static Grown grow(TrainState state, GrowthRequest request) {
    ModelConfig old = ModelConfigs.normalize(state.model());
    int layers = old.getNLayers();
    int b = request.blockSize();
    GrowthOperator op = request.operator();
    if (op != GrowthOperator.MAP && layers % b != 0) {
      throw new GrowthException("n_layers " + layers + " is not a multiple of blockSize " + b);
    }
    int n = layers / b;
    int[] src = sourceMap(request, n, b, layers);
    Set<Integer> inserted = new HashSet<>();
    if (op == GrowthOperator.RANDOM || op == GrowthOperator.ZERO) {
      int start = LayerMaps.midasBlock(n, request.tie()) * b;
      for (int j = start; j < start + b; j++) {
        inserted.add(j);
      }
    }
    ModelConfig grown = old.toBuilder().setNLayers(src.length).build();

    GrowthRecord.Builder record =
        GrowthRecord.newBuilder()
            .setOperator(
                op == GrowthOperator.DUPLICATE
                    ? LagPlan.DUPLICATE_PREFIX + request.duplicateBlock()
                    : op.id())
            .setBlockSize(b)
            .setOptimizerState(request.optimizerState().id())
            .setMidasTie(request.tie().id());
    for (int j = 0; j < src.length; j++) {
      boolean fresh = op == GrowthOperator.RANDOM && inserted.contains(j);
      record.addLayerMap(fresh ? -1 : src[j]);
    }
    if (op == GrowthOperator.RANDOM) {
      record.setInitSeed(request.seed());
    }
    if (op == GrowthOperator.ZERO) {
      inserted.stream().sorted().forEach(record::addZeroedLayers);
    }
    GrowthRecord rec = record.build();

    NamedTensors params = mapParams(state.params(), grown, rec, request.seed());
    boolean reset = request.optimizerState() == OptimizerStatePolicy.RESET;
    NamedTensors m = reset ? new NamedTensors() : mapMoments(state.adamM(), params, rec);
    NamedTensors v = reset ? new NamedTensors() : mapMoments(state.adamV(), params, rec);
    TrainPosition.Builder pos = state.position().toBuilder().setStageStep(0);
    if (reset) {
      pos.setOptimizerStep(0);
    }
    return new Grown(new TrainState(grown, params, m, v, pos.build()), rec);
  }

  private static int[] sourceMap(GrowthRequest r, int n, int b, int layers) {
    return switch (r.operator()) {
      case MIDAS, RANDOM, ZERO -> LayerMaps.midas(n, b, r.tie());
      case GRADSTACK -> LayerMaps.gradstack(n, b);
      case DOUBLE -> LayerMaps.doubling(n, b);
      case MAP -> LayerMaps.explicit(r.map(), layers);
      case DUPLICATE -> LayerMaps.duplicate(n, b, r.duplicateBlock());
    };
  }

  private static NamedTensors mapParams(
      NamedTensors old, ModelConfig grown, GrowthRecord rec, long seed) {
    NamedTensors out = new NamedTensors();
    Set<Integer> zeroed = new HashSet<>(rec.getZeroedLayersList());
    Map<Integer, NamedTensors> fresh = new HashMap<>();
    for (String name : ParameterLayout.shapes(grown).keySet()) {
      int j = ParameterLayout.layerOf(name);
      if (j < 0) {
        out.put(name, old.get(name).copy());
      } else if (rec.getLayerMap(j) < 0) {
        out.put(name, fresh.computeIfAbsent(j, k -> ParameterInit.layer(grown, k, seed)).get(name));
      } else if (zeroed.contains(j) && isOutputProjection(name)) {
        out.put(
            name,
            Tensor.zeros(old.get(ParameterLayout.renameLayer(name, rec.getLayerMap(j))).shape()));
      } else {
        out.put(name, old.get(ParameterLayout.renameLayer(name, rec.getLayerMap(j))).copy());
      }
    }
    return out;
  }

  /** Moments by the same map; fresh and zeroed tensors start from zero moments. */
  private static NamedTensors mapMoments(NamedTensors old, NamedTensors params, GrowthRecord rec) {
    if (old.size() == 0) {
      return new NamedTensors();
    }
    NamedTensors out = new NamedTensors();
    Set<Integer> zeroed = new HashSet<>(rec.getZeroedLayersList());
    for (String name : params.names()) {
      int j = ParameterLayout.layerOf(name);
      if (j < 0) {
        out.put(name, old.get(name).copy());
      } else if (rec.getLayerMap(j) < 0 || (zeroed.contains(j) && isOutputProjection(name))) {
        out.put(name, Tensor.zeros(params.get(name).shape()));
      } else {
        out.put(name, old.get(ParameterLayout.renameLayer(name, rec.getLayerMap(j))).copy());
      }
    }
    return out;
  }

  private static boolean isOutputProjection(String name) {
    String suffix = name.substring(name.indexOf('.', "layers.".length()) + 1);
    return Arrays.asList(ParameterLayout.OUTPUT_PROJECTIONS).contains(suffix);
  }
}
