package dev.midas.pipelines.preprocess;

import java.util.Map;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Max;
import org.apache.beam.sdk.transforms.Min;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Partition;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Totals the run's counts into one small map for the commit: keys ending {@code .min} keep the
 * smallest value, {@code .max} the largest, every other key the sum. Each is a lifted combine, so
 * workers send partial totals only.
 */
public class StatsTransform
    extends PTransform<PCollection<KV<String, Long>>, PCollectionView<Map<String, Long>>> {
  @Override
  public PCollectionView<Map<String, Long>> expand(PCollection<KV<String, Long>> counts) {
    PCollectionList<KV<String, Long>> parts =
        counts.apply(
            "ByKind",
            Partition.of(
                3,
                (KV<String, Long> kv, int n) ->
                    kv.getKey().endsWith(".min") ? 1 : kv.getKey().endsWith(".max") ? 2 : 0));
    return PCollectionList.of(parts.get(0).apply("Sum", Sum.longsPerKey()))
        .and(parts.get(1).apply("Min", Min.longsPerKey()))
        .and(parts.get(2).apply("Max", Max.longsPerKey()))
        .apply("Totals", Flatten.pCollections())
        .apply("AsMap", View.asMap());
  }
}
