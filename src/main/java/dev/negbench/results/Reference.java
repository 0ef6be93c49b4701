package dev.negbench.results;

import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Published numbers to show beside ours: {@code results/reference/*.csv} with columns {@code
 * dataset,system,metric,value,source} (dataset as negbench names the folder, e.g. {@code scifact}).
 */
public record Reference(String dataset, String system, String metric, double value, String source) {
  static final List<String> HEADER = List.of("dataset", "system", "metric", "value", "source");

  public static List<Reference> readAll(Path dir) {
    List<Reference> all = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return all;
    }
    List<Path> files;
    try (var s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    for (Path f : files) {
      try (Reader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        var parser =
            CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in);
        if (!parser.getHeaderNames().equals(HEADER)) {
          throw new DatasetFormatException(f, 1, "expected the header " + String.join(",", HEADER));
        }
        for (CSVRecord r : parser) {
          long line = r.getRecordNumber() + 1;
          if (r.size() != HEADER.size()) {
            throw new DatasetFormatException(f, line, "expected " + HEADER.size() + " columns");
          }
          double v;
          try {
            v = Double.parseDouble(r.get(3));
          } catch (NumberFormatException e) {
            throw new DatasetFormatException(
                f, line, "expected a number in column value, was '" + r.get(3) + "'");
          }
          all.add(
              new Reference(r.get(0).toLowerCase(Locale.ROOT), r.get(1), r.get(2), v, r.get(4)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
    }
    return all;
  }
}
