package dev.midas.stacking.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.midas.checkpoint.NamedTensors;
import dev.midas.proto.ModelConfig;
import dev.midas.proto.ReasoningExample;
import dev.midas.stacking.model.LanguageModelLoss;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.stacking.model.TransformerLM;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fine-tunes a copy of a checkpoint on a few solved instances of one task, with the loss on the
 * answer tokens only (MIDAS.md section 5's fine-tune protocol). Plain Adam at a constant rate, no
 * weight decay: a few dozen steps on 64 examples, where schedule and decay barely matter. The
 * checkpoint's parameters are never changed.
 */
public final class FineTuner {

  /**
   * @param steps optimizer steps
   * @param batchSize examples per step (drawn in a seeded shuffled order, epoch after epoch)
   * @param lr Adam learning rate
   */
  public record Options(int steps, int batchSize, double lr) {}

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPS = 1e-8;

  private FineTuner() {}

  /** A fine-tuned model (the caller closes it) and its mean answer loss per step. */
  public record Tuned(TransformerLM model, List<Double> losses) implements AutoCloseable {
    @Override
    public void close() {
      model.close();
    }
  }

  public static Tuned fineTune(
      ModelConfig config,
      NamedTensors params,
      List<ReasoningExample> train,
      TextCodec codec,
      Options o,
      long seed) {
    if (train.isEmpty()) {
      throw new IllegalArgumentException("no fine-tuning examples");
    }
    Engine engine = PyTorchRuntime.engine();
    TransformerLM model = TransformerLM.fromParams(config, params);
    List<Double> losses = new ArrayList<>();
    try (NDManager state = model.manager().newSubManager()) {
      Map<String, NDArray[]> moments = new LinkedHashMap<>();
      model
          .namedParameters()
          .forEach(
              (name, p) ->
                  moments.put(
                      name,
                      new NDArray[] {
                        state.zeros(p.getArray().getShape()), state.zeros(p.getArray().getShape())
                      }));
      // Encoded once: re-encoding each step's batch cost about as much as the optimizer's update.
      List<AnswerBatch.Encoded> order =
          new ArrayList<>(train.stream().map(e -> AnswerBatch.Encoded.of(e, codec)).toList());
      Random rnd = new Random(seed);
      int at = order.size();
      for (int step = 1; step <= o.steps(); step++) {
        List<AnswerBatch.Encoded> batch = new ArrayList<>(o.batchSize());
        while (batch.size() < Math.min(o.batchSize(), train.size())) {
          if (at == order.size()) {
            Collections.shuffle(order, rnd);
            at = 0;
          }
          batch.add(order.get(at++));
        }
        AnswerBatch b = AnswerBatch.of(batch, codec.eosId(), config.getSeqLen());
        try (NDManager scope = model.manager().newSubManager()) {
          NDArray loss;
          try (GradientCollector gc = engine.newGradientCollector()) {
            loss = answerLoss(model, b, scope);
            gc.backward(loss);
          }
          losses.add((double) loss.getFloat());
          adam(model.namedParameters(), moments, step, o.lr(), scope);
        }
      }
      // The moments go with `state`; the parameters stay in the model.
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return new Tuned(model, losses);
  }

  /**
   * Mean negative log-likelihood of the batch's answer tokens. The head runs only at the positions
   * whose targets are answer tokens: the others carry no loss and so no gradient, and the
   * vocabulary-sized product at every prompt token was most of a step's head cost.
   */
  static NDArray answerLoss(TransformerLM model, AnswerBatch b, NDManager scope) {
    NDArray inputs = scope.create(b.inputs(), new Shape(b.rows(), b.length()));
    NDArray logits = model.headAt(model.hidden(inputs), scope.create(b.answerAt()));
    return LanguageModelLoss.targetLogProbs(logits, scope.create(b.answerTargets())).mean().neg();
  }

  private static void adam(
      Map<String, Parameter> params,
      Map<String, NDArray[]> moments,
      int step,
      double lr,
      NDManager scope) {
    float b1 = (float) BETA1;
    float b2 = (float) BETA2;
    float stepSize = (float) (lr / (1 - Math.pow(BETA1, step)));
    float sqrtBc2 = (float) Math.sqrt(1 - Math.pow(BETA2, step));
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      NDArray w = e.getValue().getArray();
      NDArray g = w.getGradient();
      g.attach(scope);
      NDArray[] mv = moments.get(e.getKey());
      mv[0].muli(b1).addi(scoped(g.mul(1 - b1), scope));
      mv[1].muli(b2).addi(scoped(g.square().muli(1 - b2), scope));
      NDArray denom = scoped(mv[1].sqrt(), scope).divi(sqrtBc2).addi((float) EPS);
      w.subi(scoped(mv[0].div(denom), scope).muli(stepSize));
      JniUtils.zeroGrad((PtNDArray) w);
    }
  }

  private static NDArray scoped(NDArray a, NDManager scope) {
    a.attach(scope);
    return a;
  }
}
