package dev.negbench.mine;

import dev.negbench.data.HardNegatives;
import dev.negbench.data.Progress;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a {@link NegativeSource} over every query of a split that has positives, on several threads.
 * Results come back in query order, so the output is the same for any thread count.
 */
public final class HardNegativeMining {
  private HardNegativeMining() {}

  /** Counts for the run summary. */
  public record Summary(
      String source, int queries, long negatives, int queriesShort, int numNegatives, int skippedNoPositives) {}

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

  public static Result mine(
      NegativeSource source,
      int numNegatives,
      Qrels qrels,
      Map<String, Query> queries,
      int threads,
      Progress.Factory progress) {
    List<Query> todo = queriesWithPositives(qrels, queries);
    int skipped = (int) qrels.queryIds().stream().filter(q -> qrels.relevant(q).isEmpty()).count();
    List<Set<String>> positives = todo.stream().map(q -> qrels.relevant(q.id())).toList();
    HardNegatives[] out = new HardNegatives[todo.size()];
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try (Progress bar = progress.start("Mining " + source.name() + " negatives", todo.size())) {
      List<Future<?>> futures = new ArrayList<>(todo.size());
      for (int i = 0; i < todo.size(); i++) {
        int at = i;
        futures.add(
            pool.submit(
                () -> {
                  out[at] = source.mine(todo.get(at), positives.get(at));
                  bar.advance();
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("mining interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("mining failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    List<HardNegatives> rows = Arrays.asList(out);
    long found = rows.stream().mapToLong(h -> h.negatives().size()).sum();
    int shortOf = (int) rows.stream().filter(h -> h.negatives().size() < numNegatives).count();
    return new Result(rows, new Summary(source.name(), rows.size(), found, shortOf, numNegatives, skipped));
  }
}
