package dev.midas.stacking.report;

import java.util.ArrayList;
import java.util.List;

/** A GitHub-flavoured Markdown table, built row by row. */
public final class MarkdownTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public MarkdownTable(List<String> header) {
    this.header = List.copyOf(header);
  }

  public MarkdownTable(String... header) {
    this(List.of(header));
  }

  public MarkdownTable row(List<String> cells) {
    if (cells.size() != header.size()) {
      throw new IllegalArgumentException(
          "row has " + cells.size() + " cells, the table has " + header.size() + " columns");
    }
    rows.add(List.copyOf(cells));
    return this;
  }

  public MarkdownTable row(String... cells) {
    return row(List.of(cells));
  }

  public String render() {
    StringBuilder sb = new StringBuilder();
    line(sb, header);
    sb.append('|');
    for (int i = 0; i < header.size(); i++) {
      sb.append(i == 0 ? " --- |" : " ---: |");
    }
    sb.append('\n');
    rows.forEach(r -> line(sb, r));
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells) {
    sb.append('|');
    for (String c : cells) {
      sb.append(' ').append(c.replace("|", "\\|").replace("\n", " ")).append(" |");
    }
    sb.append('\n');
  }
}
