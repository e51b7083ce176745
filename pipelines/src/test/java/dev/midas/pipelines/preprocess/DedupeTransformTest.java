package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.dataset.Sha256;
import dev.midas.pipelines.testing.TestingPipelines;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

class DedupeTransformTest {
  private static CleanDocument doc(String text) {
    return new CleanDocument("train", Sha256.hex(text), text);
  }

  @Test
  void keepsOneCopyOfEachDocumentAndCountsTheRestWhileSortingInBoundedMemory() {
    List<CleanDocument> docs = new ArrayList<>();
    List<String> distinct = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      distinct.add("document " + i);
      for (int copy = 0; copy <= i % 3; copy++) {
        docs.add(doc("document " + i)); // 40 distinct, 39 extra copies
      }
    }
    TestPipeline p = TestingPipelines.create();
    // Three buckets; 300 bytes of sort memory make every bucket's sort spill.
    PCollectionTuple out = p.apply(Create.of(docs)).apply(new DedupeTransform(true, 3, 300));
    PAssert.that(
            out.get(DedupeTransform.UNIQUE)
                .apply(MapElements.into(TypeDescriptors.strings()).via(CleanDocument::text)))
        .containsInAnyOrder(distinct);
    PAssert.that(
            out.get(DedupeTransform.STATS).apply(org.apache.beam.sdk.transforms.Sum.longsPerKey()))
        .containsInAnyOrder(KV.of("duplicate", 39L));
    p.run().waitUntilFinish();
  }

  @Test
  void withDedupeOffEveryCopyPassesThrough() {
    List<CleanDocument> docs = List.of(doc("a"), doc("a"), doc("b"));
    TestPipeline p = TestingPipelines.create();
    PCollectionTuple out = p.apply(Create.of(docs)).apply(new DedupeTransform(false, 2, 1 << 20));
    PAssert.that(
            out.get(DedupeTransform.UNIQUE)
                .apply(MapElements.into(TypeDescriptors.strings()).via(CleanDocument::text)))
        .containsInAnyOrder("a", "a", "b");
    PAssert.that(out.get(DedupeTransform.STATS)).empty();
    p.run().waitUntilFinish();
  }
}
