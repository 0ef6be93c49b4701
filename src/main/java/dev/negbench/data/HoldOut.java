package dev.negbench.data;

import dev.negbench.io.AtomicFiles;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A development split carved out of a training split (issue 31), so that a reranker's recipe and
 * any fusion weight are chosen on queries its training never saw, not on the split reported. The
 * carve is a dataset folder of its own beside the original: links to the original's corpus, queries
 * and other qrels, and two new qrels files, {@code qrels/SPLIT-minus-dev.tsv} and {@code
 * qrels/dev.tsv}, the original rows of each query copied whole. Every command then reads it as any
 * BEIR folder ({@code --dataset CARVE --split train-minus-dev} to mine and train, {@code --split
 * dev} to search, rerank and evaluate); {@code train-ce} refuses a negatives row whose query is not
 * in its split, so a held-out query cannot reach a training group. {@code hold-out.json} records
 * the carve, and a training run on the carve copies its held-out ids into {@code training.json}.
 *
 * <p>The draw: the split's query ids (those with qrels rows), sorted, shuffled with {@code new
 * Random(seed)}; the first {@code queries} are held out.
 */
public final class HoldOut {
  /** The carve's record, in its folder. */
  public static final String FILE = "hold-out.json";

  /** The held-out split's name. */
  public static final String DEV = "dev";

  /**
   * What {@code hold-out.json} holds.
   *
   * @param dataset the original folder, absolute
   * @param split the split carved
   * @param trainSplit what is left of it ({@code SPLIT-minus-dev})
   * @param devSplit the held-out split ({@code dev})
   * @param seed the draw's seed
   * @param trainQueries queries left in {@code trainSplit}
   * @param devQueries the held-out query ids, in draw order
   */
  public record Manifest(
      String dataset,
      String split,
      String trainSplit,
      String devSplit,
      long seed,
      int trainQueries,
      List<String> devQueries) {}

  private HoldOut() {}

  /** The split left for training when {@code split} is carved. */
  public static String trainSplit(String split) {
    return split + "-minus-" + DEV;
  }

  /**
   * The held-out query ids of {@code split} of the dataset in {@code dir} when it is a carve whose
   * training split that is, else null.
   */
  public static List<String> heldOutOf(Path dir, String split) {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Manifest m = Json.read(file, Manifest.class);
    return split.equals(m.trainSplit()) ? m.devQueries() : null;
  }

  /**
   * The {@code queries} held out of {@code split}'s queries with {@code seed}: sorted ids,
   * shuffled, the first ones.
   *
   * @throws IllegalArgumentException unless 1 <= queries < the split's query count
   */
  public static List<String> draw(BeirDataset dataset, String split, int queries, long seed) {
    List<String> ids = new ArrayList<>(dataset.qrels(split).queryIds());
    if (queries < 1 || queries >= ids.size()) {
      throw new IllegalArgumentException(
          "--queries "
              + queries
              + ": expected 1 to "
              + (ids.size() - 1)
              + " queries to hold out, as "
              + dataset.qrelsFile(split)
              + " has "
              + ids.size()
              + " (some must be left to train on)");
    }
    Collections.sort(ids);
    Collections.shuffle(ids, new Random(seed));
    return List.copyOf(ids.subList(0, queries));
  }

  /**
   * Carves {@code queries} queries of {@code split} out of {@code dataset} into the folder {@code
   * out}, which must not exist or hold this very carve (then it is left as it is, and returned).
   */
  public static Manifest carve(
      BeirDataset dataset, String split, int queries, long seed, Path out) {
    Path source = dataset.dir().toAbsolutePath().normalize();
    String trainSplit = trainSplit(split);
    for (String name : List.of(DEV, trainSplit)) {
      if (Files.exists(source.resolve("qrels").resolve(name + ".tsv"))) {
        throw new DatasetFormatException(
            source.resolve("qrels").resolve(name + ".tsv"),
            0,
            "the dataset has a split named '"
                + name
                + "' already; expected none, as the carve writes one");
      }
    }
    List<String> dev = draw(dataset, split, queries, seed);
    Path qrelsFile = dataset.qrelsFile(split);
    Set<String> held = new HashSet<>(dev);
    List<String> trainLines = new ArrayList<>();
    List<String> devLines = new ArrayList<>();
    Set<String> trainIds = new HashSet<>();
    try {
      boolean first = true;
      for (String line : Files.readAllLines(qrelsFile, StandardCharsets.UTF_8)) {
        String qid = line.strip().split("\\s+", 2)[0];
        boolean header = first && line.contains("\t") && qid.equals("query-id");
        first = false;
        if (header || line.isBlank()) {
          trainLines.add(line);
          devLines.add(line);
        } else if (held.contains(qid)) {
          devLines.add(line);
        } else {
          trainLines.add(line);
          trainIds.add(qid);
        }
      }
    } catch (IOException e) {
      throw new DatasetFormatException(qrelsFile, 0, "cannot read: " + e.getMessage());
    }
    Manifest manifest =
        new Manifest(
            source.toString(), split, trainSplit, DEV, seed, trainIds.size(), List.copyOf(dev));
    if (Files.isRegularFile(out.resolve(FILE))) {
      Manifest there = Json.read(out.resolve(FILE), Manifest.class);
      if (there.equals(manifest)) {
        return there;
      }
      throw new DatasetFormatException(
          out.resolve(FILE),
          0,
          "holds another carve ("
              + there.split()
              + ", "
              + there.devQueries().size()
              + " queries, seed "
              + there.seed()
              + " of "
              + there.dataset()
              + "); expected a new folder");
    }
    if (Files.exists(out)) {
      throw new DatasetFormatException(out, 0, "exists; expected a new folder for the carve");
    }
    Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp");
    try {
      AtomicFiles.deleteTree(tmp);
      Files.createDirectories(tmp.resolve("qrels"));
      try (var files = Files.list(source)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Files.createSymbolicLink(tmp.resolve(f.getFileName()), f);
        }
      }
      try (var files = Files.list(source.resolve("qrels"))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          if (!f.equals(source.resolve("qrels").resolve(split + ".tsv"))) {
            Files.createSymbolicLink(tmp.resolve("qrels").resolve(f.getFileName()), f);
          }
        }
      }
      Files.write(tmp.resolve("qrels").resolve(trainSplit + ".tsv"), trainLines);
      Files.write(tmp.resolve("qrels").resolve(DEV + ".tsv"), devLines);
      Json.write(tmp.resolve(FILE), manifest);
      Files.createDirectories(out.toAbsolutePath().getParent());
      AtomicFiles.move(tmp, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the carve into " + out, e);
    }
    return manifest;
  }
}
