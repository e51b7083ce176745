package dev.midas.stacking.eval;

/** One token per ASCII character; id 0 is end of text. */
final class TestingCharCodec implements TextCodec {
  @Override
  public int[] encode(String text) {
    return text.chars().toArray();
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder b = new StringBuilder();
    for (int id : ids) {
      b.append((char) id);
    }
    return b.toString();
  }

  @Override
  public int eosId() {
    return 0;
  }
}
