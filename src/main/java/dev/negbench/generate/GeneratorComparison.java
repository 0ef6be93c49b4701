package dev.negbench.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Rows of several generations side by side: what {@code negbench compare-generators} prints and
 * writes.
 */
public final class GeneratorComparison {
  private GeneratorComparison() {}

  /**
   * Reads each generation's row from its summary; a path may be the output or the summary file.
   * Sorted by size.
   */
  public static List<ComparisonRow> read(List<Path> outputs) {
    List<ComparisonRow> rows = new ArrayList<>();
    for (Path output : outputs) {
      Path summary =
          output.getFileName().toString().endsWith(".summary.json")
              ? output
              : GenerationOutcome.summaryFile(output);
      JsonNode root;
      try {
        root = Json.PLAIN.readTree(Files.readString(summary));
      } catch (NoSuchFileException e) {
        throw new DatasetFormatException(
            summary,
            0,
            "file not found; expected the summary negbench generate writes beside its output");
      } catch (IOException e) {
        throw new DatasetFormatException(
            summary, 0, "expected a JSON summary written by negbench generate: " + e.getMessage());
      }
      if (root == null
          || !root.path("row").isObject()
          || !root.path("row").path("generator").isTextual()) {
        throw new DatasetFormatException(
            summary,
            0,
            "expected a JSON object with a \"row\" object (a negbench generate summary)");
      }
      rows.add(ComparisonRow.fromJson(root.get("row")));
    }
    rows.sort(
        Comparator.comparingDouble(ComparisonRow::paramsBillions)
            .thenComparing(ComparisonRow::generator));
    return rows;
  }

  /** Writes {@code prefix.csv} and {@code prefix.json}, each whole or not at all. */
  public static void write(List<ComparisonRow> rows, Path prefix) {
    StringBuilder csv = new StringBuilder(ComparisonRow.csvHeader()).append('\n');
    ArrayNode json = Json.PLAIN.createArrayNode();
    for (ComparisonRow r : rows) {
      csv.append(r.toCsv()).append('\n');
      json.add(r.toJson());
    }
    ObjectNode root = Json.PLAIN.createObjectNode();
    root.put("simulated", rows.stream().anyMatch(ComparisonRow::simulated));
    root.set("rows", json);
    AtomicFiles.writeString(prefix.resolveSibling(prefix.getFileName() + ".csv"), csv.toString());
    Json.write(prefix.resolveSibling(prefix.getFileName() + ".json"), root);
  }

  /** A fixed-width table for the terminal. */
  public static String table(List<ComparisonRow> rows) {
    StringBuilder s = new StringBuilder();
    String head = "%-16s %7s %5s %8s %9s %9s %9s %9s %9s %10s %10s%n";
    s.append(
        String.format(
            Locale.ROOT,
            head,
            "generator",
            "size_b",
            "sim",
            "accept",
            "req/s",
            "tok/s",
            "ttft_p50",
            "ttft_p99",
            "tpot_p50",
            "gpu_s",
            "$/1k_neg"));
    for (ComparisonRow r : rows) {
      s.append(
          String.format(
              Locale.ROOT,
              "%-16s %7.1f %5s %8.3f %9.2f %9.1f %9.1f %9.1f %9.2f %10.1f %10.4f%n",
              r.generator(),
              r.paramsBillions(),
              r.simulated() ? "yes" : "no",
              r.acceptanceRate(),
              r.requestThroughput(),
              r.outputTokenThroughput(),
              r.ttftP50Ms(),
              r.ttftP99Ms(),
              r.tpotP50Ms(),
              r.gpuSeconds(),
              r.usdPer1000AcceptedNegatives()));
    }
    return s.toString();
  }
}
