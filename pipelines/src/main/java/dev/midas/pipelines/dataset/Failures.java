package dev.midas.pipelines.dataset;

import dev.midas.pipelines.tokenizer.InvalidTokenizerException;
import java.util.List;
import java.util.function.Function;

/**
 * Gives back the typed error a pipeline step threw, whatever the runner wrapped it in: the
 * DirectRunner wraps it as a cause, Flink ships it to the client as a {@code SerializedThrowable}
 * that keeps only the class name and message.
 */
public final class Failures {
  private record Known(
      Class<? extends RuntimeException> type, Function<String, RuntimeException> make) {}

  private static final List<Known> KNOWN =
      List.of(
          new Known(DatasetConflictException.class, DatasetConflictException::new),
          new Known(IncompleteDatasetException.class, IncompleteDatasetException::new),
          new Known(EmptyDatasetException.class, EmptyDatasetException::new),
          new Known(InvalidTokenizerException.class, InvalidTokenizerException::new));

  private Failures() {}

  /** The first of our typed errors in {@code failure}'s cause chain, or {@code failure} itself. */
  public static RuntimeException unwrap(RuntimeException failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      for (Known k : KNOWN) {
        if (k.type().isInstance(t)) {
          return k.type().cast(t);
        }
        String prefix = k.type().getName() + ": ";
        String text = t.toString();
        if (text.startsWith(prefix)) {
          return k.make().apply(text.substring(prefix.length()));
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return failure;
  }
}
