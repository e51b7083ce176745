package dev.midas.checkpoint;

import dev.midas.proto.ModelConfig;
import dev.midas.proto.TrainPosition;
import java.util.Random;

/** Small random train states for checkpoint tests. */
public final class TrainStates {
  private TrainStates() {}

  public static TrainState random(long seed, int layers, long globalStep, long stageStep) {
    Random rnd = new Random(seed);
    NamedTensors params = new NamedTensors();
    NamedTensors m = new NamedTensors();
    NamedTensors v = new NamedTensors();
    params.put("embed.weight", fill(rnd, 50, 8));
    for (int l = 0; l < layers; l++) {
      params.put("layers." + l + ".attn.q.weight", fill(rnd, 8, 8));
      params.put("layers." + l + ".mlp.fc1.bias", fill(rnd, 32));
    }
    params.put("head.scale", fill(rnd)); // a scalar: shape []
    params.names().forEach(n -> m.put(n, fill(rnd, params.get(n).shape())));
    params.names().forEach(n -> v.put(n, fill(rnd, params.get(n).shape())));
    ModelConfig model =
        ModelConfig.newBuilder()
            .setVocabSize(50)
            .setDModel(8)
            .setNHeads(2)
            .setNLayers(layers)
            .build();
    TrainPosition pos =
        TrainPosition.newBuilder()
            .setGlobalStep(globalStep)
            .setStageStep(stageStep)
            .setTokensSeen(globalStep * 64)
            .setDataCursor(globalStep * 4)
            .setDataEpoch(1)
            .setRngState(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, (byte) seed}))
            .setLearningRate(2.5e-4)
            .build();
    return new TrainState(model, params, m, v, pos);
  }

  private static Tensor fill(Random rnd, long... shape) {
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.data().length; i++) {
      t.data()[i] = (float) rnd.nextGaussian();
    }
    return t;
  }
}
