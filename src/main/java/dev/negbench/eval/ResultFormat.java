package dev.negbench.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.Json;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * How an {@link EvaluationResult} is written out. Every format lists metrics in requested order and
 * queries in qrels file order, so that two runs of the same evaluation give identical text.
 */
public enum ResultFormat {
  /**
   * trec_eval's own layout ({@code meas_print_single.c}: {@code "%-22s\t%s\t%6.4f"}): the metric
   * name padded to 22 characters, a tab, the query id, a tab and the value with four decimals. With
   * per-query output every query's lines come first, each query's metrics together as {@code
   * trec_eval -q} prints them, then one line per metric with query id {@code all} for the mean.
   * Metric names are negbench's ({@code ndcg@10}), not trec_eval's ({@code ndcg_cut_10}), so the
   * lines name the metric that was asked for; values and order otherwise match {@code trec_eval
   * -q}.
   */
  TREC {
    @Override
    public String render(EvaluationResult result, boolean perQuery) {
      List<Metric> metrics = result.metrics();
      StringBuilder out = new StringBuilder();
      if (perQuery) {
        for (int q = 0; q < result.queryCount(); q++) {
          for (int m = 0; m < metrics.size(); m++) {
            line(out, metrics.get(m), result.queryIds().get(q), result.value(m, q));
          }
        }
      }
      for (int m = 0; m < metrics.size(); m++) {
        line(out, metrics.get(m), ALL, result.mean(m));
      }
      return out.toString();
    }

    private static void line(StringBuilder out, Metric metric, String queryId, double value) {
      out.append(
          String.format(Locale.ROOT, "%-22s\t%s\t%s\n", metric.name(), queryId, printf4(value)));
    }
  },

  /**
   * A JSON object, pretty-printed: {@code {"metrics": {"ndcg@10": 0.1234, ...}, "queries": N,
   * "per_query": {"q1": {"ndcg@10": ...}, ...}}}, {@code per_query} only with per-query output.
   * Values keep full double precision (the shortest decimal that reads back as the same double), so
   * that a report can recompute means or significance tests from them.
   */
  JSON {
    @Override
    public String render(EvaluationResult result, boolean perQuery) {
      List<Metric> metrics = result.metrics();
      ObjectNode root = Json.PLAIN.createObjectNode();
      ObjectNode means = root.putObject("metrics");
      for (int m = 0; m < metrics.size(); m++) {
        means.put(metrics.get(m).name(), result.mean(m));
      }
      root.put("queries", result.queryCount());
      if (perQuery) {
        ObjectNode byQuery = root.putObject("per_query");
        for (int q = 0; q < result.queryCount(); q++) {
          ObjectNode values = byQuery.putObject(result.queryIds().get(q));
          for (int m = 0; m < metrics.size(); m++) {
            values.put(metrics.get(m).name(), result.value(m, q));
          }
        }
      }
      try {
        return Json.PLAIN.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException("cannot write evaluation as JSON", e);
      }
    }
  },

  /**
   * Comma-separated values (RFC 4180): a header {@code query_id,ndcg@10,...}, one row per query
   * with per-query output, and last a row with query id {@code all} holding the means. Values keep
   * full double precision as {@link Double#toString(double)} writes it; a query id with a comma,
   * quote or line break is quoted.
   */
  CSV {
    @Override
    public String render(EvaluationResult result, boolean perQuery) {
      List<Metric> metrics = result.metrics();
      StringBuilder out = new StringBuilder("query_id");
      for (Metric metric : metrics) {
        out.append(',').append(metric.name());
      }
      out.append('\n');
      if (perQuery) {
        for (int q = 0; q < result.queryCount(); q++) {
          out.append(quoted(result.queryIds().get(q)));
          for (int m = 0; m < metrics.size(); m++) {
            out.append(',').append(Double.toString(result.value(m, q)));
          }
          out.append('\n');
        }
      }
      out.append(ALL);
      for (int m = 0; m < metrics.size(); m++) {
        out.append(',').append(Double.toString(result.mean(m)));
      }
      return out.append('\n').toString();
    }

    private static String quoted(String field) {
      if (field.indexOf(',') < 0
          && field.indexOf('"') < 0
          && field.indexOf('\n') < 0
          && field.indexOf('\r') < 0) {
        return field;
      }
      return '"' + field.replace("\"", "\"\"") + '"';
    }
  };

  /** The query id of the mean, as trec_eval prints it. */
  public static final String ALL = "all";

  /**
   * Renders {@code result}: the means, preceded by every query's values when {@code perQuery}. The
   * text ends with a line break.
   */
  public abstract String render(EvaluationResult result, boolean perQuery);

  /** Parses {@code trec}, {@code json} or {@code csv}, in any case. */
  public static ResultFormat parse(String name) {
    for (ResultFormat format : values()) {
      if (format.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "unknown result format '" + name + "'; expected one of trec, json, csv");
  }

  /**
   * {@code value} with four decimals as C's {@code printf("%.4f")} prints it: the double's exact
   * binary value rounded half to even, so 1/32 = 0.03125 is "0.0312" as trec_eval prints it, where
   * Java's {@code %.4f} rounds half up ("0.0313").
   */
  static String printf4(double value) {
    if (!Double.isFinite(value)) {
      return Double.isNaN(value) ? "-nan" : value > 0 ? "inf" : "-inf";
    }
    return new BigDecimal(value).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
  }
}
