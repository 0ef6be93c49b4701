package dev.negbench.eval;

import dev.negbench.data.Qrels;
import dev.negbench.data.TrecRunReader;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Parallel;
import dev.negbench.io.Progress;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link TrecEval} over a run file that is never held whole: memory grows with one query's hits
 * (per thread), not with the run. A run grouped by query, as every run negbench writes and as
 * retrieval toolkits write them, is read in {@code threads} byte ranges at once, each scoring its
 * queries as they end; a query cut by a range boundary is joined and scored once. A run whose
 * query's lines are not consecutive is detected and read again through a bounded external grouping:
 * its hits are spilled to temporary files by hash of the query id, {@value #PARTITION_BYTES} bytes
 * of run text per file, and each file is grouped in memory. The values equal {@code
 * TrecEval.evaluate(qrels, TrecRun.read(file), metrics)}, which the tests check.
 */
public final class RunFileEvaluation {
  /** Run text per spill file in the ungrouped case: bounds the memory of grouping one file. */
  static final long PARTITION_BYTES = 32L << 20;

  /** Below this many bytes per range, one thread reads the whole run. */
  private static final long MIN_RANGE_BYTES = 1L << 20;

  private RunFileEvaluation() {}

  /**
   * The metrics of a run file, and how many qrels queries it has no hits for (they score 0).
   *
   * @param grouped whether the run's lines were grouped by query (false: the external grouping ran)
   */
  public record Outcome(EvaluationResult result, int queriesWithoutHits, boolean grouped) {}

  /** A query's hits held back at a range boundary, to be joined with the next range's first. */
  private record Group(String queryId, String[] docIds, double[] scores) {
    Group join(Group next) {
      String[] d = Arrays.copyOf(docIds, docIds.length + next.docIds.length);
      System.arraycopy(next.docIds, 0, d, docIds.length, next.docIds.length);
      double[] s = Arrays.copyOf(scores, scores.length + next.scores.length);
      System.arraycopy(next.scores, 0, s, scores.length, next.scores.length);
      return new Group(queryId, d, s);
    }
  }

  /** One query's hits gathered from a spill file. */
  private static final class Builder {
    String[] docIds = new String[16];
    double[] scores = new double[16];
    int size;

    void add(String docId, double score) {
      if (size == docIds.length) {
        docIds = Arrays.copyOf(docIds, size * 2);
        scores = Arrays.copyOf(scores, size * 2);
      }
      docIds[size] = docId;
      scores[size++] = score;
    }
  }

  /** Thrown inside a range when a query id comes back after another: the run is not grouped. */
  private static final class NotGrouped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotGrouped() {
      super(null, null, false, false);
    }
  }

  /** One byte range: scores every query except its first and last, which it holds back. */
  private static final class Range implements TrecRunReader.Sink {
    private final TrecEval.QueryScorer scorer;
    private final Path file;
    private final Set<String> seen = new HashSet<>();
    private final List<String> order = new ArrayList<>();
    private Group first;
    private Group last;

    Range(TrecEval.QueryScorer scorer, Path file) {
      this.scorer = scorer;
      this.file = file;
    }

    @Override
    public void accept(String queryId, String[] docIds, double[] scores) {
      if (!seen.add(queryId)) {
        throw new NotGrouped();
      }
      order.add(queryId);
      Group g = new Group(queryId, docIds, scores);
      if (first == null) {
        first = g;
        return;
      }
      if (last != null) {
        score(scorer, file, last);
      }
      last = g;
    }
  }

  public static Outcome evaluate(Qrels qrels, Path run, List<Metric> metrics, int threads) {
    return evaluate(qrels, run, metrics, threads, MIN_RANGE_BYTES);
  }

  /** With ranges of at least {@code minRangeBytes} (tests cut tiny runs into many ranges). */
  static Outcome evaluate(
      Qrels qrels, Path run, List<Metric> metrics, int threads, long minRangeBytes) {
    TrecEval.QueryScorer scorer = new TrecEval.QueryScorer(qrels, metrics);
    long size = TrecRunReader.size(run);
    int ranges = (int) Math.max(1, Math.min(Math.max(1, threads), size / minRangeBytes));
    long[] bounds = new long[ranges + 1];
    bounds[ranges] = size;
    for (int i = 1; i < ranges; i++) {
      bounds[i] = TrecRunReader.lineStart(run, size * i / ranges);
    }
    List<Integer> indices = new ArrayList<>();
    for (int i = 0; i < ranges; i++) {
      indices.add(i);
    }
    try {
      List<Range> done =
          Parallel.map(
              indices,
              ranges,
              Progress.NONE,
              i -> {
                Range r = new Range(scorer.fork(), run);
                TrecRunReader.read(run, bounds[i], bounds[i + 1], r);
                return r;
              });
      join(scorer, run, done);
    } catch (NotGrouped e) {
      TrecEval.QueryScorer fresh = new TrecEval.QueryScorer(qrels, metrics);
      evaluateUngrouped(fresh, run, size);
      return new Outcome(fresh.result(), fresh.unscored(), false);
    }
    return new Outcome(scorer.result(), scorer.unscored(), true);
  }

  /**
   * Joins the held-back groups across boundaries, checks no query spans two places, scores them.
   */
  private static void join(TrecEval.QueryScorer scorer, Path file, List<Range> ranges) {
    Set<String> all = new HashSet<>();
    String previous = null; // the last query id of the ranges so far
    List<Group> held = new ArrayList<>();
    for (Range r : ranges) {
      for (int i = 0; i < r.order.size(); i++) {
        String q = r.order.get(i);
        boolean continues = i == 0 && q.equals(previous);
        if (!continues && !all.add(q)) {
          throw new NotGrouped();
        }
      }
      if (!r.order.isEmpty()) {
        previous = r.order.get(r.order.size() - 1);
      }
      for (Group g : r.last == null ? List.of(r.first) : List.of(r.first, r.last)) {
        if (g == null) {
          continue;
        }
        Group tail = held.isEmpty() ? null : held.get(held.size() - 1);
        if (tail != null && tail.queryId.equals(g.queryId)) {
          held.set(held.size() - 1, tail.join(g));
        } else {
          held.add(g);
        }
      }
    }
    for (Group g : held) {
      score(scorer, file, g);
    }
  }

  private static void score(TrecEval.QueryScorer scorer, Path file, Group g) {
    try {
      scorer.score(g.queryId, g.docIds, g.scores);
    } catch (IllegalArgumentException e) {
      throw new DatasetFormatException(file, 0, e.getMessage());
    }
  }

  /** Spills the hits to partitions by query id, then groups and scores one partition at a time. */
  private static void evaluateUngrouped(TrecEval.QueryScorer scorer, Path run, long size) {
    int partitions = (int) Math.max(1, Math.min(4096, size / PARTITION_BYTES + 1));
    Path dir;
    try {
      dir = Files.createTempDirectory("negbench-run-groups");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary folder for grouping " + run, e);
    }
    try {
      DataOutputStream[] out = new DataOutputStream[partitions];
      try {
        for (int p = 0; p < partitions; p++) {
          out[p] =
              new DataOutputStream(
                  new BufferedOutputStream(
                      Files.newOutputStream(dir.resolve(p + ".bin")), 1 << 16));
        }
        TrecRunReader.read(
            run,
            (queryId, docIds, scores) -> {
              DataOutputStream o = out[Math.floorMod(queryId.hashCode(), partitions)];
              try {
                o.writeUTF(queryId);
                o.writeInt(docIds.length);
                for (int i = 0; i < docIds.length; i++) {
                  o.writeUTF(docIds[i]);
                  o.writeDouble(scores[i]);
                }
              } catch (IOException e) {
                throw new UncheckedIOException("cannot write a temporary file under " + dir, e);
              }
            });
      } finally {
        for (DataOutputStream o : out) {
          if (o != null) {
            o.close();
          }
        }
      }
      for (int p = 0; p < partitions; p++) {
        Map<String, Builder> groups = new LinkedHashMap<>();
        try (DataInputStream in =
            new DataInputStream(
                new BufferedInputStream(Files.newInputStream(dir.resolve(p + ".bin")), 1 << 16))) {
          while (true) {
            String queryId;
            try {
              queryId = in.readUTF();
            } catch (EOFException end) {
              break;
            }
            int n = in.readInt();
            Builder b = groups.computeIfAbsent(queryId, q -> new Builder());
            for (int i = 0; i < n; i++) {
              b.add(in.readUTF(), in.readDouble());
            }
          }
        }
        groups.forEach(
            (q, b) ->
                score(
                    scorer,
                    run,
                    new Group(
                        q, Arrays.copyOf(b.docIds, b.size), Arrays.copyOf(b.scores, b.size))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot group " + run + " under " + dir, e);
    } finally {
      try {
        AtomicFiles.deleteTree(dir);
      } catch (IOException e) {
        // temporary files only: left to the system's cleanup
      }
    }
  }
}
