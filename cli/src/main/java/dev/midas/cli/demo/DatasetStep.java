package dev.midas.cli.demo;

import dev.midas.pipelines.preprocess.PreprocessCorpusOptions;
import dev.midas.pipelines.preprocess.PreprocessCorpusPipeline;
import dev.midas.store.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Tokenizes the corpus with the pipelines' PreprocessCorpus (DirectRunner, in this process), or
 * reuses a committed dataset made from the same files with the same parameters: the version folder
 * is named by a hash of both, so an existing MANIFEST there is exactly this dataset.
 */
final class DatasetStep {
  private DatasetStep() {}

  /** The token dataset's MANIFEST key for these inputs (whether or not it exists yet). */
  static String manifestKey(String dataset, String version) {
    return "data/" + dataset + "/" + version + "/MANIFEST";
  }

  /** A version name from everything that shapes the output. */
  static String version(CorpusFiles corpus, int vocab, int seqLen, long seed) throws IOException {
    List<String> parts = new ArrayList<>();
    for (Path f : corpus.files()) {
      parts.add(
          f.getFileName() + ":" + Files.size(f) + ":" + Files.getLastModifiedTime(f).toMillis());
    }
    parts.add("format=" + corpus.format());
    parts.add("vocab=" + vocab);
    parts.add("seq=" + seqLen);
    parts.add("seed=" + seed);
    parts.add("validation=" + validationFraction(corpus.files().size()));
    return "v-" + shortHash(String.join("\n", parts));
  }

  /** Runs (or reuses) the preprocessing; returns the MANIFEST key. */
  static String run(
      ObjectStore store, CorpusFiles corpus, String dataset, int vocab, int seqLen, long seed)
      throws IOException {
    String version = version(corpus, vocab, seqLen, seed);
    String key = manifestKey(dataset, version);
    if (store.exists(key)) {
      return key;
    }
    List<String> inputs = corpus.files().stream().map(p -> p.toAbsolutePath().toString()).toList();
    PreprocessCorpusOptions o =
        PipelineOptionsFactory.fromArgs("--runner=DirectRunner").as(PreprocessCorpusOptions.class);
    // The DirectRunner's mutation and encodability checks are for testing pipelines: they make
    // a demo several times slower and log every element they cannot compare.
    DirectOptions direct = o.as(DirectOptions.class);
    direct.setEnforceImmutability(false);
    direct.setEnforceEncodability(false);
    o.setInput(inputs);
    o.setFormat(dev.midas.pipelines.corpus.InputFormat.valueOf(corpus.format()));
    o.setVocabSize(vocab);
    o.setSeqLen(seqLen);
    o.setSeed(seed);
    o.setValidationFraction(validationFraction(corpus.files().size()));
    o.setOutput(pipelineRoot(store.root()));
    o.setDataset(dataset);
    o.setVersion(version);
    PreprocessCorpusPipeline.run(o);
    if (!store.exists(key)) {
      throw new IOException("PreprocessCorpus finished but " + store.uri(key) + " does not exist");
    }
    return key;
  }

  /**
   * Documents are split by content hash; a small corpus needs a larger fraction for a validation
   * split to exist at all (about three documents expected), a large one keeps 5%.
   */
  static double validationFraction(int documents) {
    return Math.max(0.05, Math.min(0.5, 3.0 / documents));
  }

  /** The store root as the pipelines take it: a local path for file://, the URI otherwise. */
  static String pipelineRoot(java.net.URI root) {
    return "file".equals(root.getScheme()) ? Path.of(root).toString() : root.toString();
  }

  static String shortHash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
