package dev.midas.stacking.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the Markdown tables of a written report back, so tests can check its numbers. */
public final class ReportTables {
  private ReportTables() {}

  /** Rows of the first table whose header starts with {@code firstColumn}, keyed by header. */
  public static List<Map<String, String>> table(Path report, String firstColumn)
      throws IOException {
    List<String> lines = Files.readAllLines(report);
    for (int i = 0; i + 1 < lines.size(); i++) {
      List<String> header = cells(lines.get(i));
      if (!header.isEmpty()
          && header.get(0).equals(firstColumn)
          && lines.get(i + 1).startsWith("| ---")) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (int j = i + 2; j < lines.size() && lines.get(j).startsWith("|"); j++) {
          List<String> c = cells(lines.get(j));
          Map<String, String> row = new LinkedHashMap<>();
          for (int k = 0; k < header.size(); k++) {
            row.put(header.get(k), c.get(k));
          }
          rows.add(row);
        }
        return rows;
      }
    }
    throw new AssertionError("no table starting with column '" + firstColumn + "' in " + report);
  }

  static List<String> cells(String line) {
    if (!line.startsWith("|")) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String c : line.substring(1, line.length() - 1).split("(?<!\\\\)\\|")) {
      out.add(c.trim());
    }
    return out;
  }
}
