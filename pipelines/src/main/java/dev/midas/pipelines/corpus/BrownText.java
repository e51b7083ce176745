package dev.midas.pipelines.corpus;

import java.util.Set;

/**
 * Turns the Brown corpus's tagged form ({@code The/at jury/nn said/vbd ``/`` ...}) back into plain
 * text: drops each token's {@code /tag} (after the last slash), turns the {@code ``} and {@code ''}
 * quote tokens into {@code "}, and re-attaches punctuation to its neighbours. One sentence per
 * line.
 */
public final class BrownText {
  private static final Set<String> NO_SPACE_BEFORE =
      Set.of(".", ",", ";", ":", "?", "!", ")", "]", "}", "''", "'", "'s", "n't");
  private static final Set<String> NO_SPACE_AFTER = Set.of("(", "[", "{", "``", "$");

  private BrownText() {}

  public static String untag(String tagged) {
    StringBuilder out = new StringBuilder(tagged.length());
    for (String line : tagged.split("\n")) {
      String sentence = untagSentence(line.strip());
      if (!sentence.isEmpty()) {
        out.append(sentence).append('\n');
      }
    }
    return out.toString();
  }

  private static String untagSentence(String line) {
    StringBuilder out = new StringBuilder(line.length());
    boolean glueNext = true;
    for (String token : line.split("\\s+")) {
      if (token.isEmpty()) {
        continue;
      }
      int slash = token.lastIndexOf('/');
      String word = slash > 0 ? token.substring(0, slash) : token;
      if (!glueNext && !NO_SPACE_BEFORE.contains(word)) {
        out.append(' ');
      }
      out.append(word.equals("``") || word.equals("''") ? "\"" : word);
      glueNext = NO_SPACE_AFTER.contains(word);
    }
    return out.toString();
  }
}
