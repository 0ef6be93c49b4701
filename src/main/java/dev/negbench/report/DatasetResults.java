package dev.negbench.report;

import dev.negbench.results.CellResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The results of one dataset of one experiment, grouped as the tables show them: sources in {@link
 * Report#SOURCE_ORDER}, each source's results one per seed in seed order.
 */
record DatasetResults(String experiment, String dataset, List<SourceSeeds> sources) {
  /** One source's results on the dataset, one per seed, in seed order. */
  record SourceSeeds(String source, List<CellResult> seeds) {
    /** The source's type, as its first seed's result records it. */
    String type() {
      return seeds.get(0).sourceType();
    }
  }

  /** {@code cells} grouped by experiment, then dataset (both in name order), then source. */
  static List<DatasetResults> group(List<CellResult> cells) {
    Map<String, Map<String, Map<String, List<CellResult>>>> grouped = new TreeMap<>();
    for (CellResult c : cells) {
      grouped
          .computeIfAbsent(c.experiment(), k -> new TreeMap<>())
          .computeIfAbsent(c.dataset(), k -> new TreeMap<>())
          .computeIfAbsent(c.source(), k -> new ArrayList<>())
          .add(c);
    }
    List<DatasetResults> out = new ArrayList<>();
    grouped.forEach(
        (exp, byDataset) ->
            byDataset.forEach(
                (ds, bySource) -> {
                  List<Map.Entry<String, List<CellResult>>> sources =
                      new ArrayList<>(bySource.entrySet());
                  sources.sort(
                      Comparator.comparing(
                          e -> new String[] {e.getKey(), e.getValue().get(0).sourceType()},
                          Report.SOURCE_ORDER));
                  List<SourceSeeds> bySeed = new ArrayList<>();
                  for (var e : sources) {
                    List<CellResult> seeds = new ArrayList<>(e.getValue());
                    seeds.sort(Comparator.comparingLong(CellResult::seed));
                    bySeed.add(new SourceSeeds(e.getKey(), List.copyOf(seeds)));
                  }
                  out.add(new DatasetResults(exp, ds, List.copyOf(bySeed)));
                }));
    return out;
  }
}
