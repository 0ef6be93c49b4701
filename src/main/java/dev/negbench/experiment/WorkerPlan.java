package dev.negbench.experiment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The wall time of a plan on N cooperating workers ({@code reproduce} processes sharing the work
 * and results folders, as {@link SharedGrid} runs them): shared stages (a BM25 index, a source's
 * training rounds, its negatives) that cells need, each built once by the first worker that needs
 * it, and the cells themselves (a zero-shot row; a source and seed: training and evaluation), in
 * the order a single process runs them. A worker takes the first cell none of whose stages another
 * worker is building, builds what the cell still lacks, then the cell; when every cell left waits
 * on a stage in progress, it waits for the first to finish. One worker's time is the sum of all;
 * the critical path (the longest chain of stages and one cell) bounds it from below however many
 * there are.
 */
final class WorkerPlan {
  private record Stage(double seconds, List<String> deps) {}

  private static final class Cell {
    double seconds;
    final Set<String> needs = new LinkedHashSet<>();
  }

  private final Map<String, Stage> stages = new LinkedHashMap<>();
  private final Map<String, Cell> cells = new LinkedHashMap<>();

  /** A shared stage of {@code seconds} (added to any time it has) after the stages {@code deps}. */
  void stage(String key, double seconds, List<String> deps) {
    Stage s = stages.get(key);
    List<String> all = new ArrayList<>(s == null ? List.of() : s.deps());
    deps.stream().filter(d -> !all.contains(d)).forEach(all::add);
    stages.put(key, new Stage((s == null ? 0 : s.seconds()) + seconds, List.copyOf(all)));
  }

  /**
   * {@code seconds} more of the cell {@code key}, which needs the stages {@code needs}; cells are
   * taken in the order they are first named.
   */
  void cell(String key, double seconds, List<String> needs) {
    Cell c = cells.computeIfAbsent(key, k -> new Cell());
    c.seconds += seconds;
    c.needs.addAll(needs);
  }

  /** The stages a cell needs, each after its own dependencies, known stages only. */
  private List<String> closure(Cell c) {
    Set<String> out = new LinkedHashSet<>();
    c.needs.forEach(k -> visit(k, out));
    return List.copyOf(out);
  }

  private void visit(String key, Set<String> out) {
    Stage s = stages.get(key);
    if (s == null || out.contains(key)) {
      return;
    }
    s.deps().forEach(d -> visit(d, out));
    out.add(key);
  }

  /** The longest chain: a cell after the stages it needs, each after its dependencies. */
  double criticalPathSeconds() {
    Map<String, Double> finish = new HashMap<>();
    double longest = 0;
    for (Cell c : cells.values()) {
      double ready = 0;
      for (String k : c.needs) {
        ready = Math.max(ready, finish(k, finish));
      }
      longest = Math.max(longest, ready + c.seconds);
    }
    return longest;
  }

  private double finish(String key, Map<String, Double> memo) {
    Stage s = stages.get(key);
    if (s == null) {
      return 0;
    }
    Double known = memo.get(key);
    if (known != null) {
      return known;
    }
    double ready = 0;
    for (String d : s.deps()) {
      ready = Math.max(ready, finish(d, memo));
    }
    memo.put(key, ready + s.seconds());
    return ready + s.seconds();
  }

  /** When the last of {@code workers} workers finishes, all starting at 0. */
  double wallSeconds(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, was " + workers);
    }
    double[] free = new double[workers];
    Map<String, Double> end = new HashMap<>(); // a stage started by some worker: when it is done
    List<Cell> pending = new ArrayList<>(cells.values());
    double wall = 0;
    while (!pending.isEmpty()) {
      int w = 0;
      for (int i = 1; i < workers; i++) {
        w = free[i] < free[w] ? i : w;
      }
      double t = free[w];
      Cell take = null;
      List<String> needs = List.of();
      for (Cell c : pending) {
        List<String> closure = closure(c);
        if (closure.stream().allMatch(k -> !end.containsKey(k) || end.get(k) <= t)) {
          take = c;
          needs = closure;
          break;
        }
      }
      if (take == null) {
        // Every cell left waits on a stage another worker is building: wait for the first one.
        free[w] = end.values().stream().filter(e -> e > t).min(Double::compare).orElseThrow();
        continue;
      }
      pending.remove(take);
      double now = t;
      for (String k : needs) {
        if (!end.containsKey(k)) {
          now += stages.get(k).seconds();
          end.put(k, now);
        }
      }
      now += take.seconds;
      free[w] = now;
      wall = Math.max(wall, now);
    }
    return wall;
  }
}
