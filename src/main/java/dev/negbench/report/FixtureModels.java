package dev.negbench.report;

import dev.negbench.results.CellResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which results a test fixture made: the models the pipeline recorded in a result's {@code
 * metrics.json} ({@code training.fixture_models}), per experiment, dataset and source over all its
 * seeds. A tiny random-weight model's numbers test the machinery and rank nothing, so the report
 * marks every result it made.
 */
final class FixtureModels {
  /** "experiment/dataset/source" to its models in the order first recorded; sorted by that key. */
  private final Map<String, List<String>> byKey;

  FixtureModels(Map<String, List<String>> byKey) {
    this.byKey = byKey;
  }

  /** The fixture models behind {@code cells}, each listed once per source however many seeds. */
  static FixtureModels of(List<CellResult> cells) {
    Map<String, List<String>> byKey = new TreeMap<>();
    for (CellResult c : cells) {
      if (c.training().get("fixture_models") instanceof List<?> models && !models.isEmpty()) {
        List<String> known =
            byKey.computeIfAbsent(
                key(c.experiment(), c.dataset(), c.source()), k -> new ArrayList<>());
        models.stream().map(String::valueOf).filter(m -> !known.contains(m)).forEach(known::add);
      }
    }
    return new FixtureModels(byKey);
  }

  /** Whether a test fixture made any seed of the source's results on the dataset. */
  boolean made(String experiment, String dataset, String source) {
    return byKey.containsKey(key(experiment, dataset, source));
  }

  /**
   * The fixture models behind a source's results on a dataset ({@code dataset} null: on any dataset
   * of the experiment), in name order; empty for real models.
   */
  List<String> models(String experiment, String dataset, String source) {
    TreeSet<String> out = new TreeSet<>();
    byKey.forEach(
        (k, v) -> {
          String[] key = k.split("/", 3);
          if (key[0].equals(experiment)
              && (dataset == null || key[1].equals(dataset))
              && key[2].equals(source)) {
            out.addAll(v);
          }
        });
    return List.copyOf(out);
  }

  /** Every result a fixture made, as "experiment / dataset / source: model, ...", by that key. */
  List<String> notes() {
    List<String> out = new ArrayList<>();
    byKey.forEach((k, v) -> out.add(k.replace("/", " / ") + ": " + String.join(", ", v)));
    return out;
  }

  /** The key of {@link #byKey}, split again by {@link #models}. */
  private static String key(String experiment, String dataset, String source) {
    return experiment + "/" + dataset + "/" + source;
  }
}
