package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.corpus.InputFormat;
import dev.midas.pipelines.dataset.DatasetOutputOptions;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Command-line options of {@link PreprocessCorpusPipeline}. */
public interface PreprocessCorpusOptions extends DatasetOutputOptions {
  @Description("Input files or globs, comma-separated: local paths, file:// or s3:// (.gz is read)")
  @Validation.Required
  List<String> getInput();

  void setInput(List<String> value);

  @Description(
      "Input format: TEXT (a document per file), LINES (a document per line), JSONL (a JSON"
          + " document per line), BROWN; LINES and JSONL files are read in byte ranges by every"
          + " worker")
  @Default.Enum("TEXT")
  InputFormat getFormat();

  void setFormat(InputFormat value);

  @Description("JSONL: the field holding the document text")
  @Default.String("text")
  String getJsonField();

  void setJsonField(String value);

  @Description("Invalid UTF-8: REPLACE the bad bytes with U+FFFD, or DROP the document")
  @Default.Enum("REPLACE")
  InvalidUtf8 getInvalidUtf8();

  void setInvalidUtf8(InvalidUtf8 value);

  @Description("Longest document kept, in bytes; longer ones are handled by --tooLong")
  @Default.Integer(4 << 20)
  int getMaxDocumentBytes();

  void setMaxDocumentBytes(int value);

  @Description("Documents over --maxDocumentBytes: DROP them, or TRUNCATE them (not JSONL lines)")
  @Default.Enum("DROP")
  TooLong getTooLong();

  void setTooLong(TooLong value);

  @Description("Drop exact duplicate documents (by content hash) before the tokenizer is trained")
  @Default.Boolean(true)
  boolean getDedupe();

  void setDedupe(boolean value);

  @Description("Existing tokenizer.json to use instead of training one (local, file:// or s3://)")
  String getTokenizer();

  void setTokenizer(String value);

  @Description("Vocabulary size of the trained byte-level BPE tokenizer (>= 257)")
  @Default.Integer(8192)
  int getVocabSize();

  void setVocabSize(int value);

  @Description(
      "Most frequent pre-tokens the tokenizer is trained on: what the last counting task and the"
          + " trainer hold in memory")
  @Default.Integer(1_000_000)
  int getTokenizerMaxWords();

  void setTokenizerMaxWords(int value);

  @Description("Pre-tokens seen fewer times than this in the counted documents are not trained on")
  @Default.Long(2)
  long getTokenizerMinCount();

  void setTokenizerMinCount(long value);

  @Description(
      "Fraction of the documents (chosen by a seeded hash of their content) whose pre-tokens are"
          + " counted to train the tokenizer; every document is tokenized")
  @Default.Double(1.0)
  double getTokenizerSample();

  void setTokenizerSample(double value);

  @Description("Stop learning merges when the best pair occurs fewer times than this")
  @Default.Integer(2)
  int getMinPairCount();

  void setMinPairCount(int value);

  @Description("Training window length: each record holds seqLen + 1 token ids")
  @Default.Integer(256)
  int getSeqLen();

  void setSeqLen(int value);

  @Description("Fraction of documents (by content hash) in the validation split")
  @Default.Double(0.05)
  double getValidationFraction();

  void setValidationFraction(double value);

  @Description("Seed of the shuffle; the same seed and input give the same shards on any runner")
  @Default.Long(1234)
  long getSeed();

  void setSeed(long value);

  @Description(
      "Target tokens per shard when --numShards is 0: a split gets ceil(estimated tokens /"
          + " shardTokens) shards, tokens estimated as input bytes / 4")
  @Default.Long(16L << 20)
  long getShardTokens();

  void setShardTokens(long value);

  @Description(
      "Shards of the train split (the validation split gets the same share of them as of the"
          + " documents, at least one); 0 computes them from the input size and --shardTokens")
  @Default.Integer(0)
  int getNumShards();

  void setNumShards(int value);

  @Description(
      "Memory for sorting one packing bucket or one shard, in MiB; past it the sort spills to the"
          + " worker's temporary folder (java.io.tmpdir)")
  @Default.Integer(64)
  int getSortMemoryMb();

  void setSortMemoryMb(int value);

  @Description("Dataset name (a folder name)")
  @Default.String("corpus")
  String getDataset();

  void setDataset(String value);

  /** What to do with invalid UTF-8. */
  enum InvalidUtf8 {
    REPLACE,
    DROP
  }

  /** What to do with documents over the size limit. */
  enum TooLong {
    DROP,
    TRUNCATE
  }
}
