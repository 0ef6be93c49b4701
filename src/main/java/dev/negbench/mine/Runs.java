package dev.negbench.mine;

import dev.negbench.data.Query;
import dev.negbench.data.RunEntry;
import dev.negbench.io.Parallel;
import dev.negbench.io.Progress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The BM25 retrieval loop: every query of a split searched on its own, on several threads (dense
 * search scores blocks of queries at once instead, {@link DenseSearcher#searchAll}).
 */
final class Runs {
  private Runs() {}

  /**
   * {@code search.apply(i)}, the run entries of {@code queries.get(i)}, for every query on {@code
   * threads} threads under a progress bar named {@code label}; the run keeps the queries' order
   * whatever the thread count.
   */
  static Map<String, List<RunEntry>> retrieve(
      String label,
      List<Query> queries,
      int threads,
      Progress.Factory progress,
      IntFunction<List<RunEntry>> search) {
    List<Integer> order = new ArrayList<>(queries.size());
    for (int i = 0; i < queries.size(); i++) {
      order.add(i);
    }
    List<List<RunEntry>> results;
    try (Progress bar = progress.start(label, queries.size())) {
      results = Parallel.map(order, threads, bar, search::apply);
    }
    Map<String, List<RunEntry>> run = new LinkedHashMap<>();
    for (int i = 0; i < queries.size(); i++) {
      run.put(queries.get(i).id(), results.get(i));
    }
    return run;
  }
}
