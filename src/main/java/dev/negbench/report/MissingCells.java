package dev.negbench.report;

import dev.negbench.results.CellResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cells a partial grid lacks, as {@code EXPERIMENT/DATASET/SOURCE/seed-N}: within an
 * experiment, every dataset it has results for, crossed with every trained source and seed it has
 * results for anywhere (and the zero-shot row of every dataset, once any dataset has one). What is
 * there is reported as it is; the missing cells are listed beside it, not guessed.
 */
public final class MissingCells {
  private MissingCells() {}

  public static List<String> of(List<CellResult> cells) {
    Map<String, List<CellResult>> byExperiment = new LinkedHashMap<>();
    for (CellResult c : cells) {
      byExperiment.computeIfAbsent(c.experiment(), e -> new ArrayList<>()).add(c);
    }
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, List<CellResult>> e : byExperiment.entrySet()) {
      Set<String> datasets = new TreeSet<>();
      Set<String> sources = new TreeSet<>();
      Set<Long> seeds = new TreeSet<>();
      Set<String> present = new TreeSet<>();
      boolean zeroShot = false;
      for (CellResult c : e.getValue()) {
        datasets.add(c.dataset());
        present.add(c.dataset() + "/" + c.source() + "/seed-" + c.seed());
        if (c.source().equals(CellResult.ZERO_SHOT)) {
          zeroShot = true;
        } else {
          sources.add(c.source());
          seeds.add(c.seed());
        }
      }
      for (String d : datasets) {
        if (zeroShot && !present.contains(d + "/" + CellResult.ZERO_SHOT + "/seed-0")) {
          missing.add(e.getKey() + "/" + d + "/" + CellResult.ZERO_SHOT);
        }
        for (String s : sources) {
          for (long seed : seeds) {
            if (!present.contains(d + "/" + s + "/seed-" + seed)) {
              missing.add(e.getKey() + "/" + d + "/" + s + "/seed-" + seed);
            }
          }
        }
      }
    }
    return missing;
  }
}
