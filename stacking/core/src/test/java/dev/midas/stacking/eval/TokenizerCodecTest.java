package dev.midas.stacking.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerCodecTest {
  @TempDir Path tmp;

  @Test
  void loadsATokenizerJsonOfflineAndAddsNoSpecialTokens() throws Exception {
    Path json = tmp.resolve("tokenizer.json");
    Files.writeString(
        json,
        """
        {"version": "1.0", "truncation": null, "padding": null,
         "added_tokens": [{"id": 0, "content": "<|endoftext|>", "single_word": false,
           "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
         "normalizer": null, "pre_tokenizer": {"type": "Whitespace"},
         "post_processor": {"type": "TemplateProcessing",
           "single": [{"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}},
                      {"Sequence": {"id": "A", "type_id": 0}}],
           "pair": [{"Sequence": {"id": "A", "type_id": 0}}],
           "special_tokens": {"<|endoftext|>": {"id": "<|endoftext|>", "ids": [0],
             "tokens": ["<|endoftext|>"]}}},
         "decoder": null,
         "model": {"type": "WordLevel", "vocab": {"<|endoftext|>": 0, "x": 1, "=": 2, "7": 3,
           "[UNK]": 4}, "unk_token": "[UNK]"}}
        """);

    try (TokenizerCodec codec = TokenizerCodec.load(json, 0)) {
      assertThat(codec.encode("x = 7")).containsExactly(1, 2, 3);
      assertThat(codec.decode(new int[] {1, 2, 3})).isEqualTo("x = 7");
      assertThat(codec.eosId()).isZero();
    }
  }
}
