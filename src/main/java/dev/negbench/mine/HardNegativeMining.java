package dev.negbench.mine;

import dev.negbench.data.HardNegatives;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.io.Parallel;
import dev.negbench.io.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link NegativeSource} over every query of a split that has positives, on several threads.
 * Results come back in query order, so the output is the same for any thread count.
 */
public final class HardNegativeMining {
  private HardNegativeMining() {}

  /** Counts for the run summary. */
  public record Summary(
      String source,
      int queries,
      long negatives,
      int queriesShort,
      int numNegatives,
      int skippedNoPositives) {}

  /** The mined negatives in query order, and the summary. */
  public record Result(List<HardNegatives> rows, Summary summary) {}

  /** The queries of {@code qrels} with at least one positive and a text, in qrels order. */
  public static List<Query> queriesWithPositives(Qrels qrels, Map<String, Query> queries) {
    List<Query> list = new ArrayList<>();
    for (String id : qrels.queryIds()) {
      Query q = queries.get(id);
      if (q != null && !qrels.relevant(id).isEmpty()) {
        list.add(q);
      }
    }
    return list;
  }

  /** A query to mine and its positives. */
  private record Job(Query query, Set<String> positives) {}

  public static Result mine(
      NegativeSource source,
      int numNegatives,
      Qrels qrels,
      Map<String, Query> queries,
      int threads,
      Progress.Factory progress) {
    // One pass over the qrels: the queries to mine with their positives (each looked up once),
    // and the count of judged queries without a positive.
    List<Job> todo = new ArrayList<>();
    int skipped = 0;
    for (String id : qrels.queryIds()) {
      Set<String> positives = qrels.relevant(id);
      Query q = positives.isEmpty() ? null : queries.get(id);
      skipped += positives.isEmpty() ? 1 : 0;
      if (q != null) {
        todo.add(new Job(q, positives));
      }
    }
    // Workers take the queries a batch at a time (the source's batch size), in order.
    int size = Math.max(1, source.batchSize());
    List<List<Job>> batches = new ArrayList<>();
    for (int from = 0; from < todo.size(); from += size) {
      batches.add(todo.subList(from, Math.min(todo.size(), from + size)));
    }
    List<HardNegatives> rows = new ArrayList<>(todo.size());
    try (Progress bar = progress.start("Mining " + source.name() + " negatives", todo.size())) {
      List<List<HardNegatives>> mined =
          Parallel.map(
              batches,
              threads,
              Progress.NONE,
              batch -> {
                List<HardNegatives> out =
                    source.mine(
                        batch.stream().map(Job::query).toList(),
                        batch.stream().map(Job::positives).toList());
                bar.advance(batch.size());
                return out;
              });
      mined.forEach(rows::addAll);
    }
    long found = 0;
    int shortOf = 0;
    for (HardNegatives h : rows) {
      found += h.negatives().size();
      shortOf += h.negatives().size() < numNegatives ? 1 : 0;
    }
    return new Result(
        rows, new Summary(source.name(), rows.size(), found, shortOf, numNegatives, skipped));
  }
}
