package dev.negbench.report;

import dev.negbench.results.CellResult;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.NegativesCost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The cost table's rows: what each source's negatives on each dataset cost, from its seeds' {@code
 * cost.json} (or, for a result written before it, its {@code generation.json}) combined over its
 * distinct negatives stages, beside the nDCG@10 they bought and its difference from {@link
 * Report#BASELINE}'s.
 */
final class SourceCosts {
  private SourceCosts() {}

  /**
   * One row per source folder but {@code zero-shot}'s (no negatives), by experiment, dataset and
   * {@link Report#SOURCE_ORDER}; a row's cost is null when no seed records one.
   */
  static List<Report.CostRow> of(List<SourceFolder> folders, SourceScores scores) {
    List<Report.CostRow> out = new ArrayList<>();
    for (SourceFolder f : folders) {
      if (f.source().equals(CellResult.ZERO_SHOT)) {
        continue;
      }
      List<NegativesCost> costs = new ArrayList<>();
      for (SourceFolder.Seed seed : f.seeds()) {
        NegativesCost cost =
            seed.cost() != null
                ? seed.cost()
                : seed.generation() == null ? null : fromGeneration(f.source(), seed.generation());
        if (cost != null && !costs.contains(cost)) {
          costs.add(cost); // seeds sharing one negatives stage carry the same record
        }
      }
      double ndcg = scores.ndcg10(f.experiment(), f.dataset(), f.source());
      double base = scores.ndcg10(f.experiment(), f.dataset(), Report.BASELINE);
      out.add(
          new Report.CostRow(
              f.experiment(),
              f.dataset(),
              f.source(),
              scores.type(f.experiment(), f.dataset(), f.source()),
              costs.isEmpty() ? null : combine(costs),
              ndcg,
              ndcg - base));
    }
    out.sort(
        Comparator.comparing(Report.CostRow::experiment)
            .thenComparing(Report.CostRow::dataset)
            .thenComparing(c -> new String[] {c.source(), c.type()}, Report.SOURCE_ORDER));
    return out;
  }

  /**
   * One cost of several negatives stages: their distinct parts together, their negatives summed.
   */
  static NegativesCost combine(List<NegativesCost> costs) {
    if (costs.size() == 1) {
      return costs.get(0);
    }
    // A part made once and used by several stages (a mix's seed-independent BM25 part, the index)
    // is the same record in each: counted once.
    Set<NegativesCost.Part> parts = new LinkedHashSet<>();
    costs.forEach(c -> parts.addAll(c.parts()));
    return new NegativesCost(
        costs.get(0).source(),
        costs.get(0).sourceType(),
        costs.stream().mapToLong(NegativesCost::negatives).sum(),
        List.copyOf(parts),
        costs.get(0).basis() + " (" + costs.size() + " negatives stages: one per seed)");
  }

  /**
   * The cost of generated negatives from a result written before {@code cost.json}: the generation
   * on its GPUs.
   */
  static NegativesCost fromGeneration(String source, GenerationSummary g) {
    String device =
        (g.gpu() == null ? String.valueOf(g.device()) : g.gpus() + "x " + g.gpu())
            + (g.simulated() ? " (simulated)" : "");
    return new NegativesCost(
        source,
        "llm",
        g.negatives(),
        List.of(NegativesCost.Part.generation(g, device)),
        "generation.json's wall time (the result predates cost.json)");
  }
}
