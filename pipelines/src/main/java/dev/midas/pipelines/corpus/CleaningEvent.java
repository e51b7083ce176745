package dev.midas.pipelines.corpus;

/**
 * Why a document was dropped or repaired on its way in. The keys are what the dataset manifest's
 * {@code drops} map and the Beam counters show.
 */
public enum CleaningEvent {
  BINARY("binary", true),
  INVALID_UTF8("invalid_utf8", true),
  EMPTY("empty", true),
  TOO_LONG("too_long", true),
  BAD_JSON("bad_json", true),
  MISSING_FIELD("missing_field", true),
  DUPLICATE("duplicate", true),
  /** A file that failed to read: counted once per file, not per document (unknown). */
  UNREADABLE("unreadable", true),
  REPAIRED_INVALID_UTF8("repaired_invalid_utf8", false),
  REPAIRED_NFC("repaired_nfc", false),
  TRUNCATED_TOO_LONG("truncated_too_long", false);

  private final String key;
  private final boolean drop;

  CleaningEvent(String key, boolean drop) {
    this.key = key;
    this.drop = drop;
  }

  public String key() {
    return key;
  }

  /** True when the document is gone; false when it was kept after a repair. */
  public boolean isDrop() {
    return drop;
  }
}
