package dev.midas.cli.generate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** A prompt file: UTF-8 text, one prompt a line; blank lines are skipped. */
final class PromptFile {
  private PromptFile() {}

  static List<String> read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--prompt-file " + file + " does not exist");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("--prompt-file " + file + " is not valid UTF-8 text");
    }
    List<String> prompts = text.lines().filter(l -> !l.isBlank()).toList();
    if (prompts.isEmpty()) {
      throw new IllegalArgumentException("--prompt-file " + file + " holds no prompt");
    }
    return prompts;
  }
}
