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

/** A document that survived cleaning, with its content hash and the split that hash chose. */
@DefaultCoder(CleanDocument.Coder.class)
public record CleanDocument(String split, String sha256, String text) {

  /** Three UTF-8 strings. */
  public static final class Coder extends CustomCoder<CleanDocument> {
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(CleanDocument.class), INSTANCE);
    }

    @Override
    public void encode(CleanDocument d, OutputStream out) throws IOException {
      STRING.encode(d.split(), out);
      STRING.encode(d.sha256(), out);
      STRING.encode(d.text(), out);
    }

    @Override
    public CleanDocument decode(InputStream in) throws IOException {
      return new CleanDocument(STRING.decode(in), STRING.decode(in), STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
