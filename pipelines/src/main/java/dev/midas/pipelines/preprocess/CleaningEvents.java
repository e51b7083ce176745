package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.corpus.CleaningEvent;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn.MultiOutputReceiver;
import org.apache.beam.sdk.transforms.DoFn.OutputReceiver;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Reports a drop or repair twice: as a Beam counter (namespace {@code cleaning}, visible while the
 * job runs) and as an element, so the counts can reach the manifest on any runner.
 */
final class CleaningEvents {
  static final String NAMESPACE = "cleaning";

  private CleaningEvents() {}

  static void emit(MultiOutputReceiver out, TupleTag<String> tag, CleaningEvent event) {
    Metrics.counter(NAMESPACE, event.key()).inc();
    emit(out.get(tag), event);
  }

  static void emit(OutputReceiver<String> out, CleaningEvent event) {
    Metrics.counter(NAMESPACE, event.key()).inc();
    out.output(event.key());
  }
}
