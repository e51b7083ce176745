package dev.midas.pipelines.corpus;

/** How the bytes of an input file become documents. */
public enum InputFormat {
  /** One document per file. */
  TEXT,
  /** Plain text, one document per line. */
  LINES,
  /** One document per line: a JSON object whose text field is configurable. */
  JSONL,
  /** One document per file in the Brown corpus's tagged form ({@code word/tag}). */
  BROWN
}
