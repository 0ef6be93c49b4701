package dev.negbench.experiment;

import dev.negbench.data.BeirDataset;
import dev.negbench.download.BeirCatalogue;
import dev.negbench.download.DataHome;
import dev.negbench.experiment.sources.SourceCheck;
import dev.negbench.io.DatasetFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * A config's dataset entries resolved and checked: {@code synthetic:DOCS}; {@code beir:NAME}, the
 * folder NAME under the data home ({@link DataHome}); a BEIR folder relative to the config; and
 * {@code optional:} before either of the last two for a folder left out when it is not there. A
 * {@code beir:} dataset not downloaded yet fails, naming the command that fetches it, unless the
 * config is read to plan or to download ({@code beforeDownload}): then it is kept, to be counted
 * from the {@link BeirCatalogue}.
 */
final class DatasetEntries {
  private static final Pattern SYNTHETIC = Pattern.compile("synthetic:(\\d+)");

  /**
   * A dataset entry {@code optional:DIR} is evaluated when the folder exists and left out when not.
   */
  static final String OPTIONAL = "optional:";

  private final Path file;
  private final ExperimentConfig c;
  private final BiFunction<String, String, DatasetFormatException> error;
  private final boolean beforeDownload;
  private final DataHome home = DataHome.fromEnvironment();

  /**
   * @param error the config's error at a JSON pointer, naming file, line and field
   */
  DatasetEntries(
      Path file,
      ExperimentConfig c,
      BiFunction<String, String, DatasetFormatException> error,
      boolean beforeDownload) {
    this.file = file;
    this.c = c;
    this.error = error;
    this.beforeDownload = beforeDownload;
  }

  List<ExperimentConfig.DatasetRef> datasets() {
    if (c.datasets().isEmpty()) {
      throw error.apply(
          "/datasets",
          "expected at least one dataset (a BEIR folder, beir:NAME or synthetic:DOCS)");
    }
    List<ExperimentConfig.DatasetRef> refs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < c.datasets().size(); i++) {
      // In-domain, each dataset is trained on too; with train_on, it is only evaluated.
      List<String> splits =
          c.trainOn() == null
              ? List.of(c.training().split(), c.evaluation().split())
              : List.of(c.evaluation().split());
      String entry = c.datasets().get(i);
      if (entry != null && entry.startsWith(OPTIONAL)) {
        entry = entry.substring(OPTIONAL.length());
        if (!Files.isDirectory(location("/datasets/" + i, entry))) {
          continue; // an optional folder that is not here is left out
        }
      }
      ExperimentConfig.DatasetRef ref = dataset("/datasets/" + i, entry, splits);
      if (!names.add(ref.name())) {
        throw error.apply(
            "/datasets/" + i,
            "two datasets named '" + ref.name() + "'; results folders would collide");
      }
      refs.add(ref);
    }
    if (refs.isEmpty()) {
      throw error.apply(
          "/datasets", "none of the datasets is here: every entry is optional and absent");
    }
    return refs;
  }

  /** The training collection of the BEIR protocol, or null without {@code train_on}. */
  ExperimentConfig.DatasetRef trainOn() {
    if (c.trainOn() == null) {
      return null;
    }
    if (c.trainOn().dataset() == null) {
      throw error.apply(
          "/train_on",
          "expected train_on: {dataset: BEIR_FOLDER_OR_beir:NAME_OR_synthetic:DOCS, split: SPLIT}");
    }
    return dataset("/train_on/dataset", c.trainOn().dataset(), List.of(c.trainingSplit()));
  }

  /** The folder of a {@code beir:NAME} or path entry. */
  private Path location(String pointer, String entry) {
    if (DataHome.isBeir(entry)) {
      String name = DataHome.beirName(entry);
      if (!DataHome.isName(name)) {
        throw error.apply(
            pointer,
            "expected beir:NAME with a BEIR dataset name (e.g. beir:scifact,"
                + " beir:cqadupstack/android), was "
                + SourceCheck.quote(entry));
      }
      return home.dir(name);
    }
    return file.toAbsolutePath().getParent().resolve(entry).normalize();
  }

  /**
   * A dataset entry: {@code synthetic:DOCS}, or a BEIR folder with qrels for each of {@code
   * splits}.
   */
  private ExperimentConfig.DatasetRef dataset(String pointer, String entry, List<String> splits) {
    if (entry == null || entry.isBlank()) {
      throw error.apply(pointer, "expected a BEIR dataset folder, beir:NAME or synthetic:DOCS");
    }
    var m = SYNTHETIC.matcher(entry);
    if (m.matches()) {
      int docs;
      try {
        docs = Integer.parseInt(m.group(1));
      } catch (NumberFormatException e) {
        docs = -1;
      }
      if (docs < 50) {
        throw error.apply(
            pointer,
            "synthetic datasets need at least 50 documents, was " + SourceCheck.quote(entry));
      }
      return new ExperimentConfig.DatasetRef(entry, "synthetic-" + docs, null, docs);
    }
    if (entry.startsWith("synthetic")) {
      throw error.apply(
          pointer,
          "expected synthetic:DOCS with a number of documents, was " + SourceCheck.quote(entry));
    }
    Path dir = location(pointer, entry);
    String beir = DataHome.isBeir(entry) ? DataHome.beirName(entry) : null;
    if (beir != null && !Files.isDirectory(dir)) {
      return notDownloaded(pointer, beir, dir, splits);
    }
    try {
      BeirDataset ds = BeirDataset.open(dir);
      for (String split : splits) {
        if (!ds.splits().contains(split)) {
          throw error.apply(
              pointer,
              "dataset " + dir + " has no qrels/" + split + ".tsv (splits: " + ds.splits() + ")");
        }
      }
      return new ExperimentConfig.DatasetRef(entry, ds.name(), dir, 0, beir);
    } catch (DatasetFormatException e) {
      if (e.file().equals(file)) {
        throw e;
      }
      throw error.apply(pointer, "dataset folder not usable: " + e.getMessage());
    }
  }

  /**
   * A {@code beir:NAME} whose folder is not there: before a download, a dataset counted from the
   * catalogue (which must know its splits); otherwise an error naming the command that fetches it.
   */
  private ExperimentConfig.DatasetRef notDownloaded(
      String pointer, String name, Path dir, List<String> splits) {
    BeirCatalogue catalogue = BeirCatalogue.standard();
    BeirCatalogue.Entry entry = catalogue.find(name);
    if (entry == null) {
      throw error.apply(
          pointer,
          "no dataset folder "
              + dir
              + " (the data home: $"
              + DataHome.ENV
              + ", default data/), and '"
              + name
              + "' is not a BEIR dataset negbench can fetch; known: "
              + catalogue.names());
    }
    String top = DataHome.downloadName(name);
    BeirCatalogue.Entry zip = catalogue.find(top);
    if (zip == null || !zip.downloadable()) {
      throw error.apply(
          pointer,
          "no dataset folder "
              + dir
              + ": BEIR publishes no zip of "
              + name
              + " (its README says how to build it); put the BEIR folder there");
    }
    if (!beforeDownload) {
      throw error.apply(
          pointer,
          "beir:"
              + name
              + " is not downloaded (no folder "
              + dir
              + "); fetch it with: "
              + DataHome.downloadCommand(name)
              + "   (or every dataset of this config: bin/negbench download --config "
              + file
              + ")");
    }
    for (String split : splits) {
      if (!entry.splits().containsKey(split)) {
        throw error.apply(
            pointer,
            "beir:"
                + name
                + " has no split '"
                + split
                + "' (BEIR's splits of it: "
                + entry.splits().keySet()
                + ")");
      }
    }
    return new ExperimentConfig.DatasetRef(
        "beir:" + name, dir.getFileName().toString(), dir, 0, name);
  }
}
