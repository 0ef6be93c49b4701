package dev.negbench.experiment;

import dev.negbench.experiment.sources.Source;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import dev.negbench.io.Leases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The cells of an experiment (each zero-shot row, each source and seed) as one worker process takes
 * them, among any number started on the same work and results folders. A worker claims a cell with
 * a lease under {@code WORK/cells/} and marks it done there with the results it wrote; a cell whose
 * next stage another live worker holds ({@link StageCache.Held}) is left for later, and the worker
 * goes on to the next. Cells come in the order a single process runs them, so the shared stages
 * (datasets, embeddings, a source's negatives for every seed) are built once, by whoever gets there
 * first. When nothing is left to take, the worker waits for the cells others hold, and takes over
 * those whose holder died.
 */
final class SharedGrid {
  /** One row of results to make: {@code source} null for the zero-shot row of {@code evaluated}. */
  record Cell(
      ExperimentConfig.DatasetRef training,
      List<ExperimentConfig.DatasetRef> evaluated,
      Source source,
      long seed) {
    String id() {
      List<String> names = evaluated.stream().map(ExperimentConfig.DatasetRef::name).toList();
      if (source == null) {
        return names.get(0) + "/zero-shot";
      }
      String on =
          evaluated.size() == 1 && evaluated.get(0) == training
              ? ""
              : " (evaluated on " + names + ")";
      return training.name() + "/" + source.name() + "/seed-" + seed + on;
    }
  }

  private final Pipeline p;
  private final StageCache cache;
  private final Consumer<String> log;
  private final Path cellsDir;
  private final Map<String, Map<String, DatasetStages>> open = new LinkedHashMap<>();
  private final List<String> took = new ArrayList<>();
  private final Set<String> waitedFor = new LinkedHashSet<>();
  private double secondsWaited;

  SharedGrid(Pipeline pipeline, StageCache cache, Consumer<String> log) {
    this.p = pipeline;
    this.cache = cache;
    this.log = log;
    this.cellsDir = pipeline.work.resolve("cells");
  }

  /** Every cell of the config, in the order one process runs them. */
  static List<Cell> cells(ExperimentConfig.Loaded loaded) {
    ExperimentConfig config = loaded.config();
    List<Cell> cells = new ArrayList<>();
    if (loaded.trainOn() == null) {
      for (ExperimentConfig.DatasetRef d : loaded.datasets()) {
        if (config.evaluation().zeroShot()) {
          cells.add(new Cell(d, List.of(d), null, 0));
        }
        for (Source s : config.sources()) {
          for (long seed : config.seeds()) {
            cells.add(new Cell(d, List.of(d), s, seed));
          }
        }
      }
    } else {
      if (config.evaluation().zeroShot()) {
        for (ExperimentConfig.DatasetRef d : loaded.datasets()) {
          cells.add(new Cell(d, List.of(d), null, 0));
        }
      }
      for (Source s : config.sources()) {
        for (long seed : config.seeds()) {
          cells.add(new Cell(loaded.trainOn(), loaded.datasets(), s, seed));
        }
      }
    }
    return cells;
  }

  /** Takes cells until every cell is done, by this worker or another; the results of all. */
  List<Path> run() {
    List<Cell> pending = new ArrayList<>(cells(p.loaded));
    Map<Cell, List<Path>> results = new LinkedHashMap<>();
    Leases leases = cache.leases();
    log.accept(
        String.format(
            Locale.ROOT,
            "worker %s: %d cells, lease timeout %d s",
            leases.owner(),
            pending.size(),
            leases.timeout().toSeconds()));
    cache.whenHeld(StageCache.WhenHeld.SKIP);
    try {
      while (!pending.isEmpty()) {
        boolean progressed = false;
        Set<String> blocked = new LinkedHashSet<>();
        for (Cell cell : List.copyOf(pending)) {
          String hash = cellHash(cell);
          List<Path> done = done(hash);
          if (done != null) {
            results.put(cell, done);
            pending.remove(cell);
            continue;
          }
          Leases.Attempt a = leases.tryTake(cellsDir, hash);
          if (!a.taken()) {
            blocked.add("cell " + cell.id() + " (" + describe(a.holder()) + ")");
            continue;
          }
          if (a.holder() != null) {
            log.accept(
                String.format(
                    Locale.ROOT,
                    "worker %s: taking cell %s over from %s, whose lease is stale",
                    leases.owner(),
                    cell.id(),
                    a.holder()));
          }
          try (Leases.Lease lease = a.lease()) {
            done = done(hash);
            if (done == null) {
              long start = System.nanoTime();
              done = run(cell);
              markDone(hash, done);
              double s = (System.nanoTime() - start) / 1e9;
              took.add(cell.id());
              log.accept(
                  String.format(
                      Locale.ROOT,
                      "worker %s: took cell %s: done in %.1f s",
                      leases.owner(),
                      cell.id(),
                      s));
              progressed = true;
            }
            results.put(cell, done);
            pending.remove(cell);
          } catch (StageCache.Held h) {
            blocked.add("stage " + h.stage() + " (" + describe(h.holder()) + ")");
            log.accept(
                String.format(
                    Locale.ROOT,
                    "worker %s: cell %s needs %s, held by %s: other work meanwhile",
                    leases.owner(),
                    cell.id(),
                    h.stage(),
                    describe(h.holder())));
          }
        }
        if (!pending.isEmpty() && !progressed) {
          waitedFor.addAll(blocked);
          long start = System.nanoTime();
          StageCache.sleep(leases.pollInterval());
          secondsWaited += (System.nanoTime() - start) / 1e9;
        }
      }
    } finally {
      cache.whenHeld(StageCache.WhenHeld.WAIT);
      open.values().forEach(g -> g.values().forEach(DatasetStages::close));
      open.clear();
    }
    log.accept(
        String.format(
            Locale.ROOT,
            "worker %s: took %d of %d cells%s; waited %.1f s for other workers%s",
            leases.owner(),
            took.size(),
            results.size(),
            took.isEmpty() ? "" : " (" + String.join(", ", took) + ")",
            secondsWaited + cache.secondsWaited(),
            waitedFor.isEmpty() ? "" : " (" + String.join(", ", waitedFor) + ")"));
    return results.values().stream().flatMap(List::stream).toList();
  }

  private static String describe(Leases.Owner holder) {
    return holder == null ? "another worker" : holder.toString();
  }

  /** Runs one cell with its datasets open; the results it wrote. */
  private List<Path> run(Cell cell) {
    Map<String, DatasetStages> group = group(cell);
    List<DatasetStages> evaluated =
        cell.evaluated().stream().map(r -> group.get(r.name())).toList();
    if (cell.source() == null) {
      return List.of(evaluated.get(0).zeroShot());
    }
    return p.cell(group.get(cell.training().name()), evaluated, cell.source(), cell.seed());
  }

  /**
   * The datasets a cell reads, opened once: its training collection and each it is evaluated on
   * (with train_on, every dataset of the config, as one group).
   */
  private Map<String, DatasetStages> group(Cell cell) {
    String key = p.loaded.trainOn() == null ? cell.training().name() : "train_on";
    Map<String, DatasetStages> g = open.computeIfAbsent(key, k -> new LinkedHashMap<>());
    List<ExperimentConfig.DatasetRef> refs = new ArrayList<>();
    refs.add(p.loaded.trainOn() == null ? cell.training() : p.loaded.trainOn());
    refs.addAll(p.loaded.trainOn() == null ? List.of() : p.loaded.datasets());
    for (ExperimentConfig.DatasetRef r : refs) {
      if (!g.containsKey(r.name())) {
        g.put(r.name(), DatasetStages.open(p, r));
      }
    }
    return g;
  }

  /**
   * A cell's name under {@code WORK/cells}: the config file's checksum and the settings of the
   * command line, the results folder, the code's commit, and the cell. A rerun of the same grid
   * into the same results finds its cells done; another commit or results folder makes them again
   * (from the stage cache).
   */
  private String cellHash(Cell cell) {
    Map<String, Object> key = new TreeMap<>();
    key.put("config", p.loaded.sha256());
    key.put(
        "devices",
        List.of(p.config.device(), p.config.trainingDevice(), p.config.evaluationDevice()));
    key.put("skip_training", p.skipTraining);
    key.put("results", p.store.root().toAbsolutePath().normalize().toString());
    key.put("commit", p.gitCommit());
    key.put("cell", cell.id());
    key.put(
        "source", cell.source() == null ? "zero-shot" : NegativesStages.sourceKey(cell.source()));
    return p.loaded.config().name()
        + "-"
        + AtomicFiles.sha256(StageCache.canonical(key)).substring(0, 20);
  }

  /** The results of a cell marked done whose results are all still there; else null. */
  private List<Path> done(String hash) {
    Path marker = cellsDir.resolve(hash + StageCache.DONE);
    if (!Files.isRegularFile(marker)) {
      return null;
    }
    List<Path> written = new ArrayList<>();
    for (Object f : Json.read(marker, List.class)) {
      Path dir = Path.of(String.valueOf(f));
      if (!Files.isDirectory(dir)) {
        return null; // deleted since: made again
      }
      written.add(dir);
    }
    return written;
  }

  private void markDone(String hash, List<Path> written) {
    try {
      Files.createDirectories(cellsDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + cellsDir, e);
    }
    Json.write(
        cellsDir.resolve(hash + StageCache.DONE), written.stream().map(Path::toString).toList());
  }
}
