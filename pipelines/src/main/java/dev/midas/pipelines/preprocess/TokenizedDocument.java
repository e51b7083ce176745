package dev.midas.pipelines.preprocess;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.TypeDescriptor;

/** A document's token ids, end-of-text token included at the end. */
@DefaultCoder(TokenizedDocument.Coder.class)
public record TokenizedDocument(String split, String sha256, int[] tokens) {

  /** Two UTF-8 strings and the ids. */
  public static final class Coder extends CustomCoder<TokenizedDocument> {
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();
    private static final Coder INSTANCE = new Coder();

    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(TokenizedDocument.class), INSTANCE);
    }

    @Override
    public void encode(TokenizedDocument d, OutputStream out) throws IOException {
      STRING.encode(d.split(), out);
      STRING.encode(d.sha256(), out);
      IntArrayCoder.of().encode(d.tokens(), out);
    }

    @Override
    public TokenizedDocument decode(InputStream in) throws IOException {
      return new TokenizedDocument(
          STRING.decode(in), STRING.decode(in), IntArrayCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
