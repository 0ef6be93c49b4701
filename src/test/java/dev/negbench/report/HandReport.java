package dev.negbench.report;

import dev.negbench.results.JmhResults;
import dev.negbench.results.Reference;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A report made by hand for the page's section tests: the rows a test sets, every other empty. */
final class HandReport {
  List<Report.DatasetRow> datasets = List.of();
  List<Report.AcrossDatasets> across = List.of();
  List<Report.GeneratorRow> generators = List.of();
  List<Report.CostRow> costs = List.of();
  List<Report.HardnessRow> hardness = List.of();
  List<JmhResults> jmh = List.of();
  List<Report.StageRate> stageRates = List.of();
  List<Reference> reference = List.of();

  /** "experiment/dataset/source" to the test-fixture models that made it. */
  Map<String, List<String>> fixtures = new TreeMap<>();

  Report build() {
    return new Report(
        datasets,
        across,
        List.of(),
        generators,
        costs,
        hardness,
        jmh,
        stageRates,
        reference,
        new FixtureModels(fixtures));
  }

  static String render(Report r, Appender section) {
    StringBuilder b = new StringBuilder();
    section.append(b, r);
    return b.toString();
  }

  /** A section's {@code append(StringBuilder, Report)}. */
  interface Appender {
    void append(StringBuilder b, Report r);
  }

  static Report.Score score(String source, String type, double mean, boolean best) {
    return new Report.Score(
        source, type, mean, 0.01, 2, mean - 0.05, mean + 0.05, null, null, 0, best);
  }
}
