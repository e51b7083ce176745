package dev.midas.stacking.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Smoke-sized experiment specs for the runner's process tests. */
final class TestingSpecs {
  private TestingSpecs() {}

  /** Two stages of one layer each (midas), 12 steps in all, checkpoints every 4. */
  static Path tiny(Path dir) throws IOException {
    return write(
        dir.resolve("tiny.yaml"),
        """
        model: {vocabSize: 32, dModel: 16, heads: 2, targetLayers: 2, seqLen: 8}
        growth: {operator: midas, blockSize: 1}
        schedule: {totalSteps: 12, batchSize: 4, checkpointEvery: 4}
        evaluation: {valBatches: 2}
        seed: 3
        """);
  }

  /** One long stage, to be interrupted. */
  static Path long1(Path dir) throws IOException {
    return write(
        dir.resolve("long.yaml"),
        """
        model: {vocabSize: 32, dModel: 16, heads: 2, targetLayers: 1, seqLen: 8}
        growth: {operator: baseline}
        schedule: {totalSteps: 100000, batchSize: 4, checkpointEvery: 100000}
        seed: 3
        """);
  }

  private static Path write(Path file, String text) throws IOException {
    Files.writeString(file, text);
    return file;
  }
}
