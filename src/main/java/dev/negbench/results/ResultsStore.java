package dev.negbench.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.Csv;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The committed results: {@code ROOT/EXPERIMENT/DATASET/SOURCE/seed-N/} holding {@code
 * metrics.json} (means and what made them), {@code per-query.csv} ({@code query_id} then one column
 * per metric, values with 6 decimals) and {@code provenance.json}; optionally {@code hardness.json}
 * and {@code generation.json}. Every file is written atomically.
 */
public final class ResultsStore {
  public static final String METRICS = "metrics.json";
  public static final String PER_QUERY = "per-query.csv";
  public static final String PROVENANCE = "provenance.json";
  public static final String HARDNESS = "hardness.json";
  public static final String GENERATION = "generation.json";
  public static final String COST = "cost.json";

  private final Path root;

  public ResultsStore(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public Path cellDir(String experiment, String dataset, String source, long seed) {
    return root.resolve(experiment).resolve(dataset).resolve(source).resolve("seed-" + seed);
  }

  /** Writes one result's per-query CSV, then metrics.json, then provenance.json. */
  public Path write(CellResult r, Provenance provenance) {
    Path dir = cellDir(r.experiment(), r.dataset(), r.source(), r.seed());
    List<String> metrics = List.copyOf(r.metrics().keySet());
    List<String> header = new ArrayList<>();
    header.add("query_id");
    header.addAll(metrics);
    List<List<String>> rows = new ArrayList<>();
    for (int q = 0; q < r.queryIds().size(); q++) {
      List<String> row = new ArrayList<>();
      row.add(r.queryIds().get(q));
      for (String m : metrics) {
        row.add(Csv.num(r.perQuery().get(m)[q], 6));
      }
      rows.add(row);
    }
    Csv.write(dir.resolve(PER_QUERY), header, rows);
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("experiment", r.experiment());
    node.put("dataset", r.dataset());
    node.put("source", r.source());
    node.put("source_type", r.sourceType());
    node.put("seed", r.seed());
    node.put("split", r.split());
    node.put("synthetic", r.synthetic());
    node.put("queries", r.queryIds().size());
    ObjectNode m = node.putObject("metrics");
    // Means rounded as trec_eval prints them (4 decimals), so committed results diff cleanly.
    r.metrics().forEach((k, v) -> m.put(k, Math.round(v * 1e4) / 1e4));
    node.set("training", Json.MAPPER.valueToTree(r.training() == null ? Map.of() : r.training()));
    Json.write(dir.resolve(METRICS), node);
    Json.write(dir.resolve(PROVENANCE), provenance);
    return dir;
  }

  /** Reads one result folder. */
  public static CellResult read(Path dir) {
    Path file = dir.resolve(METRICS);
    JsonNode node = Json.read(file, JsonNode.class);
    Map<String, Double> means = new LinkedHashMap<>();
    JsonNode metrics = require(node, "metrics", file);
    metrics.fieldNames().forEachRemaining(k -> means.put(k, metrics.get(k).asDouble()));
    List<String> ids = new ArrayList<>();
    Map<String, List<Double>> columns = new LinkedHashMap<>();
    Path csvFile = dir.resolve(PER_QUERY);
    if (Files.isRegularFile(csvFile)) {
      try (Reader in = Files.newBufferedReader(csvFile, StandardCharsets.UTF_8)) {
        var parser =
            CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in);
        List<String> header = parser.getHeaderNames();
        header.stream().skip(1).forEach(h -> columns.put(h, new ArrayList<>()));
        for (CSVRecord rec : parser) {
          if (rec.size() != header.size()) {
            throw new DatasetFormatException(
                csvFile, rec.getRecordNumber() + 1, "expected " + header.size() + " columns");
          }
          ids.add(rec.get(0));
          for (int i = 1; i < header.size(); i++) {
            try {
              columns.get(header.get(i)).add(Double.parseDouble(rec.get(i)));
            } catch (NumberFormatException e) {
              throw new DatasetFormatException(
                  csvFile,
                  rec.getRecordNumber() + 1,
                  "expected a number in column " + header.get(i));
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + csvFile, e);
      }
    }
    Map<String, double[]> perQuery = new LinkedHashMap<>();
    columns.forEach(
        (k, v) -> perQuery.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
    @SuppressWarnings("unchecked")
    Map<String, Object> training =
        node.has("training") ? Json.MAPPER.convertValue(node.get("training"), Map.class) : Map.of();
    return new CellResult(
        require(node, "experiment", file).asText(),
        require(node, "dataset", file).asText(),
        require(node, "source", file).asText(),
        node.path("source_type").asText(""),
        require(node, "seed", file).asLong(),
        node.path("split").asText(""),
        node.path("synthetic").asBoolean(false),
        means,
        ids,
        perQuery,
        training);
  }

  private static JsonNode require(JsonNode node, String field, Path file) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new DatasetFormatException(file, 0, "missing field '" + field + "'");
    }
    return v;
  }

  /** Every result folder under the root (those holding metrics.json), in path order. */
  public List<Path> cells() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.getFileName().toString().equals(METRICS))
          .map(Path::getParent)
          .filter(p -> p.getFileName().toString().startsWith("seed-"))
          .sorted(Comparator.comparing(Path::toString))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  /** Reads every result under the root, in path order. */
  public List<CellResult> readAll() {
    return cells().stream().map(ResultsStore::read).toList();
  }
}
