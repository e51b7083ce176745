package dev.midas.pipelines.primitives;

import dev.midas.pipelines.dataset.StableHash;
import dev.midas.proto.ReasoningExample;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Draws a task's instances from one seeded stream and deals them, in order, into the few-shot pool,
 * the evaluation set and the fine-tune pool, skipping any prompt already dealt: no instance is in
 * two splits, and the same seed always deals the same cards. The fine-tune pool comes last, so a
 * larger pool (more fine-tuning seeds, each with examples of its own) leaves the evaluation set as
 * it was.
 */
public final class ExampleSets {
  public static final String FEWSHOT = "fewshot";
  public static final String FINETUNE = "finetune";
  public static final String EVAL = "eval";

  private ExampleSets() {}

  /** How many instances each split gets. */
  public record Sizes(int fewshot, int finetune, int eval) implements Serializable {
    public Sizes {
      if (fewshot < 0 || finetune < 0 || eval < 0) {
        throw new IllegalArgumentException("split sizes must be >= 0");
      }
    }

    int total() {
      return fewshot + finetune + eval;
    }
  }

  /** The examples of {@code task}; ids are {@code taskIndex * 10^7 + position in the stream}. */
  public static List<ReasoningExample> generate(
      PrimitiveTask task, int taskIndex, long seed, Sizes sizes) {
    SplittableRandom rng = new SplittableRandom(StableHash.of(seed, "primitives", task.label()));
    List<ReasoningExample> out = new ArrayList<>(sizes.total());
    Set<String> seen = new HashSet<>();
    long attempts = 0;
    long maxAttempts = 100L * sizes.total() + 1000;
    while (out.size() < sizes.total()) {
      if (++attempts > maxAttempts) {
        throw new IllegalArgumentException(
            task.label()
                + " has too few distinct instances for "
                + sizes.total()
                + " examples; found "
                + out.size());
      }
      PrimitiveTask.Instance inst = task.generate(rng);
      if (!seen.add(inst.prompt())) {
        continue;
      }
      int n = out.size();
      String split =
          n < sizes.fewshot() ? FEWSHOT : n < sizes.fewshot() + sizes.eval() ? EVAL : FINETUNE;
      out.add(
          ReasoningExample.newBuilder()
              .setTask(task.task())
              .setDepth(task.depth())
              .setVariant(task.variant())
              .setPrompt(inst.prompt())
              .setAnswer(inst.answer())
              .setSplit(split)
              .setId(taskIndex * 10_000_000L + attempts - 1)
              .addAllCandidates(inst.candidates())
              .build());
    }
    return out;
  }
}
