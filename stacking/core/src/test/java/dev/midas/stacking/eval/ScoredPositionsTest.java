package dev.midas.stacking.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.midas.proto.ModelConfig;
import dev.midas.proto.ReasoningExample;
import dev.midas.proto.TaskScore;
import dev.midas.stacking.model.LanguageModelLoss;
import dev.midas.stacking.model.TokenLayout;
import dev.midas.stacking.model.TransformerLM;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Evaluation runs the head only at the positions it scores. Against the full head (logits at every
 * position, then the scored ones picked out) it must give the same numbers up to float noise: the
 * few-shot log-likelihoods within {@link #TOLERANCE}, the same greedy answers and accuracies, and
 * the same fine-tuning loss and gradients.
 */
class ScoredPositionsTest {
  /** Absolute tolerance, in nats (log-likelihoods, loss) and in gradient units. */
  static final double TOLERANCE = 1e-5;

  static ModelConfig charModel() {
    return ModelConfig.newBuilder()
        .setVocabSize(128)
        .setDModel(32)
        .setNHeads(4)
        .setDFf(64)
        .setNLayers(2)
        .setSeqLen(96)
        .build();
  }

  /** The full-head path: logits at every position, the scored rows picked out afterwards. */
  record FullHead(TransformerLM lm) implements ScoringModel {
    @Override
    public NDArray logitsAt(NDArray tokens, NDArray at) {
      return pick(lm.logits(tokens), at);
    }

    @Override
    public NDArray logitsAt(NDArray tokens, TokenLayout layout, NDArray at) {
      return pick(lm.head(lm.hidden(tokens, layout)), at);
    }

    private NDArray pick(NDArray logits, NDArray at) {
      return logits.reshape(-1, lm.config().getVocabSize()).get(at);
    }

    @Override
    public int maxTokens() {
      return lm.config().getSeqLen();
    }

    @Override
    public NDManager newScope() {
      return lm.manager().newSubManager();
    }
  }

  static List<ReasoningExample> tasks(String split, int n, long firstId) {
    List<ReasoningExample> out = new ArrayList<>();
    String[] tasks = {"psm", "induction_copying"};
    for (int i = 0; i < n; i++) {
      int a = i % 7;
      out.add(
          ReasoningExample.newBuilder()
              .setTask(tasks[i % 2])
              .setSplit(split)
              .setId(firstId + i)
              .setPrompt("x=" + a + ", y=" + (a + 3) + "\ny?")
              .setAnswer(String.valueOf(a + 3))
              // Prefix candidates (1 / 10 / 12) share trie nodes.
              .addAllCandidates(List.of("1", "10", "12", String.valueOf(a)))
              .build());
    }
    return out;
  }

  @Test
  void fewShotScoresMatchTheFullHead() {
    try (TransformerLM lm = TransformerLM.create(charModel(), 21)) {
      TestingCharCodec codec = new TestingCharCodec();
      List<ReasoningExample> pool = tasks("fewshot", 24, 100);
      List<ReasoningExample> eval = tasks("eval", 12, 1);
      FewShotEvaluator.Options o = new FewShotEvaluator.Options(3, 0, 4, 7);
      List<List<ReasoningExample>> shots =
          eval.stream().map(q -> FewShotPrompt.pickShots(sameTask(pool, q), q, 3, 7)).toList();

      List<SequenceScoring.Query> queries = new ArrayList<>();
      for (int i = 0; i < eval.size(); i++) {
        ReasoningExample q = eval.get(i);
        List<int[]> conts = new ArrayList<>();
        for (String v : q.getCandidatesList()) {
          conts.add(codec.encode(FewShotPrompt.terminated(q.getPrompt(), v)));
        }
        queries.add(
            new SequenceScoring.Query(codec.encode(FewShotPrompt.context(shots.get(i), q)), conts));
      }
      List<SequenceScoring.Scored> cheap =
          SequenceScoring.score(ModelScoring.of(lm), queries, 4, (r, ids) -> false);
      List<SequenceScoring.Scored> full =
          SequenceScoring.score(new FullHead(lm), queries, 4, (r, ids) -> false);

      for (int i = 0; i < queries.size(); i++) {
        double[] a = cheap.get(i).logLikelihoods();
        double[] b = full.get(i).logLikelihoods();
        assertThat(a).hasSameSizeAs(b);
        for (int c = 0; c < a.length; c++) {
          assertThat(a[c]).as("query %d candidate %d", i, c).isCloseTo(b[c], within(TOLERANCE));
        }
        assertThat(cheap.get(i).greedy()).as("query %d", i).containsExactly(full.get(i).greedy());
      }
      List<TaskScore> cheapScores =
          FewShotEvaluator.evaluate(ModelScoring.of(lm), codec, pool, eval, o);
      assertThat(cheapScores)
          .isEqualTo(FewShotEvaluator.evaluate(new FullHead(lm), codec, pool, eval, o))
          .isEqualTo(FewShotEvaluator.evaluate(ModelScoring.of(lm), codec, pool, eval, o));
    }
  }

  private static List<ReasoningExample> sameTask(List<ReasoningExample> pool, ReasoningExample q) {
    return pool.stream().filter(e -> e.getTask().equals(q.getTask())).toList();
  }

  @Test
  void fineTuningLossAndGradientsMatchTheFullHead() {
    TestingCharCodec codec = new TestingCharCodec();
    AnswerBatch batch = AnswerBatch.of(tasks("finetune", 6, 1), codec, 96);
    try (TransformerLM lm = TransformerLM.create(charModel(), 22);
        NDManager scope = lm.manager().newSubManager()) {
      Engine engine = Engine.getEngine("PyTorch");
      NDArray cheap;
      try (GradientCollector gc = engine.newGradientCollector()) {
        cheap = FineTuner.answerLoss(lm, batch, scope);
        gc.backward(cheap);
      }
      Map<String, float[]> cheapGrads = gradients(lm);
      NDArray full;
      try (GradientCollector gc = engine.newGradientCollector()) {
        Shape shape = new Shape(batch.rows(), batch.length());
        NDArray logp =
            LanguageModelLoss.targetLogProbs(
                lm.logits(scope.create(batch.inputs(), shape)),
                scope.create(batch.targets(), shape));
        NDArray mask = scope.create(batch.mask(), shape);
        full = logp.mul(mask).sum().div(mask.sum()).neg();
        gc.backward(full);
      }
      Map<String, float[]> fullGrads = gradients(lm);

      assertThat((double) cheap.getFloat()).isCloseTo(full.getFloat(), within(TOLERANCE));
      assertThat(cheapGrads.keySet()).isEqualTo(fullGrads.keySet());
      cheapGrads.forEach(
          (name, g) -> {
            float[] f = fullGrads.get(name);
            double worst = 0;
            for (int i = 0; i < g.length; i++) {
              worst = Math.max(worst, Math.abs(g[i] - f[i]));
            }
            assertThat(worst).as(name).isLessThan(TOLERANCE);
          });
      float[] head = cheapGrads.get("head.weight");
      double largest = 0;
      for (float g : head) {
        largest = Math.max(largest, Math.abs(g));
      }
      assertThat(largest).as("the comparison is of gradients that are there").isGreaterThan(1e-3);
    }
  }

  /** Every parameter's gradient, copied out, then zeroed for the next backward pass. */
  private static Map<String, float[]> gradients(TransformerLM lm) {
    Map<String, float[]> out = new LinkedHashMap<>();
    lm.namedParameters()
        .forEach(
            (name, p) -> {
              NDArray w = p.getArray();
              out.put(name, w.getGradient().toFloatArray());
              JniUtils.zeroGrad((PtNDArray) w);
            });
    return out;
  }

  @Test
  void fineTuningIsTheSameOnARerun() {
    TestingCharCodec codec = new TestingCharCodec();
    var params = dev.midas.stacking.model.ParameterInit.model(charModel(), 23);
    FineTuner.Options o = new FineTuner.Options(6, 4, 1e-2);
    List<ReasoningExample> train = tasks("finetune", 8, 1);
    try (FineTuner.Tuned a = FineTuner.fineTune(charModel(), params, train, codec, o, 5);
        FineTuner.Tuned b = FineTuner.fineTune(charModel(), params, train, codec, o, 5)) {
      assertThat(a.losses()).isEqualTo(b.losses());
      assertThat(a.model().toNamedTensors()).isEqualTo(b.model().toNamedTensors());
    }
  }
}
