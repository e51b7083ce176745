package dev.midas.stacking.eval;

/** Text to token ids and back, as the dataset's tokenizer does it. */
public interface TextCodec {

  int[] encode(String text);

  String decode(int[] ids);

  /** The end-of-text token id, where generation stops. */
  int eosId();
}
