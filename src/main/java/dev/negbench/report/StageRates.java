package dev.negbench.report;

import dev.negbench.results.CellResult;
import dev.negbench.results.NegativesCost;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The measured throughput of the stages the JMH kernels time, as the experiments recorded it: each
 * source's own negatives part, the corpus encodings, and training (steps per second of each trained
 * result), each beside the kernel class that times its stage.
 */
final class StageRates {
  private StageRates() {}

  /**
   * Kernel classes whose stage a source type's own (first) cost part times, and the unit of that
   * stage's work.
   */
  private static final Map<String, String[]> KERNEL_OF_SOURCE_TYPE =
      Map.of(
          "bm25", new String[] {"Bm25MiningBenchmark", NegativesCost.QUERIES_SEARCHED, "queries/s"},
          "dense",
              new String[] {
                "DenseSearchBenchmark",
                NegativesCost.QUERIES_SEARCHED,
                "queries/s (encoded and searched)"
              },
          "ce",
              new String[] {
                "CrossEncoderBenchmark",
                NegativesCost.PAIRS_SCORED,
                "pairs/s (BM25 candidates and scoring)"
              },
          "llm", new String[] {"GenerationBenchmark", NegativesCost.REQUESTS, "requests/s"});

  /** The rates from the cost rows (negatives, encodings), then from the results (training). */
  static List<Report.StageRate> of(List<CellResult> cells, List<Report.CostRow> costs) {
    List<Report.StageRate> out = new ArrayList<>();
    Set<NegativesCost.Part> encodings = new LinkedHashSet<>();
    for (Report.CostRow c : costs) {
      if (c.cost() == null) {
        continue;
      }
      String[] k = KERNEL_OF_SOURCE_TYPE.get(c.type());
      NegativesCost.Part own = c.cost().parts().get(0);
      if (k != null && own.work().containsKey(k[1])) {
        out.add(
            new Report.StageRate(
                k[0],
                c.experiment(),
                c.dataset(),
                c.source() + ": " + own.what() + " on " + own.device(),
                own.work().get(k[1]),
                own.seconds(),
                k[2]));
      }
      for (NegativesCost.Part p : c.cost().parts()) {
        if (p.work().containsKey(NegativesCost.DOCUMENTS_ENCODED) && encodings.add(p)) {
          out.add(
              new Report.StageRate(
                  "EncodeBenchmark",
                  c.experiment(),
                  c.dataset(),
                  p.what() + " on " + p.device(),
                  p.work().get(NegativesCost.DOCUMENTS_ENCODED),
                  p.seconds(),
                  "documents/s"));
        }
      }
    }
    for (CellResult cell : cells) {
      if (cell.training().get("steps") instanceof Number steps
          && cell.training().get("seconds") instanceof Number seconds) {
        out.add(
            new Report.StageRate(
                "TrainingStepBenchmark",
                cell.experiment(),
                cell.dataset(),
                cell.source()
                    + " seed "
                    + cell.seed()
                    + " on "
                    + cell.training().getOrDefault("device", "?"),
                steps.doubleValue(),
                seconds.doubleValue(),
                "steps/s"));
      }
    }
    return out;
  }
}
