package dev.midas.pipelines.testing;

import org.apache.beam.sdk.testing.TestPipeline;

/**
 * Beam's {@link TestPipeline} for JUnit 5 tests: it is a JUnit 4 rule, so outside a rule it must be
 * told to check that everything built was run (which also lets it run at all).
 */
public final class TestingPipelines {
  private TestingPipelines() {}

  public static TestPipeline create() {
    return TestPipeline.create().enableAbandonedNodeEnforcement(true);
  }
}
