package dev.midas.stacking.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MarkdownTableTest {
  @Test
  void rendersHeaderSeparatorAndRowsWithPipesEscaped() {
    String md = new MarkdownTable("method", "loss").row("midas", "3.10").row("a|b", "1").render();

    assertThat(md.split("\n"))
        .containsExactly(
            "| method | loss |", "| --- | ---: |", "| midas | 3.10 |", "| a\\|b | 1 |");
  }

  @Test
  void rowWithTheWrongNumberOfCellsIsRefused() {
    assertThatThrownBy(() -> new MarkdownTable("a", "b").row("only one"))
        .hasMessageContaining("1 cells, the table has 2 columns");
  }
}
