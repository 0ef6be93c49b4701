package dev.negbench.report;

import dev.negbench.results.GenerationSummary;
import dev.negbench.results.HardnessSummary;
import dev.negbench.results.NegativesCost;
import dev.negbench.results.ResultsStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What a source folder, {@code results/EXPERIMENT/DATASET/SOURCE/}, holds beside the metrics: per
 * seed folder ({@code seed-N}, in seed order), its {@code generation.json}, {@code cost.json} and
 * {@code hardness.json}.
 */
record SourceFolder(String experiment, String dataset, String source, List<Seed> seeds) {
  /** One seed's files, each null where the seed folder has none. */
  record Seed(GenerationSummary generation, NegativesCost cost, HardnessSummary hardness) {}

  /** Every source folder under {@code results} that holds seed folders, in path order. */
  static List<SourceFolder> readAll(Path results) {
    return sourceDirs(results).stream().map(SourceFolder::read).toList();
  }

  private static SourceFolder read(Path sourceDir) {
    List<Seed> seeds = new ArrayList<>();
    for (Path seed : seedDirs(sourceDir)) {
      seeds.add(
          new Seed(
              readIfPresent(seed.resolve(ResultsStore.GENERATION), GenerationSummary::read),
              readIfPresent(seed.resolve(ResultsStore.COST), NegativesCost::read),
              readIfPresent(seed.resolve(ResultsStore.HARDNESS), HardnessSummary::read)));
    }
    Path dataset = sourceDir.getParent();
    return new SourceFolder(
        dataset.getParent().getFileName().toString(),
        dataset.getFileName().toString(),
        sourceDir.getFileName().toString(),
        List.copyOf(seeds));
  }

  private static <T> T readIfPresent(Path file, Function<Path, T> reader) {
    return Files.isRegularFile(file) ? reader.apply(file) : null;
  }

  /** {@code results/EXP/DATASET/SOURCE} folders that hold seed folders, in path order. */
  private static List<Path> sourceDirs(Path results) {
    if (!Files.isDirectory(results)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(results, 4)) {
      return walk.filter(
              p ->
                  results.relativize(p).getNameCount() == 3
                      && Files.isDirectory(p)
                      && !seedDirs(p).isEmpty())
          .sorted(Comparator.comparing(Path::toString))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + results, e);
    }
  }

  private static List<Path> seedDirs(Path sourceDir) {
    try (Stream<Path> s = Files.list(sourceDir)) {
      return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("seed-\\d+"))
          .sorted(
              Comparator.comparingLong(
                  p -> Long.parseLong(p.getFileName().toString().substring(5))))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + sourceDir, e);
    }
  }
}
