package dev.negbench.download;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.negbench.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code negbench-dataset.json}, written into a downloaded dataset's folder last, before the folder
 * is moved into place: what was fetched (name, URL, the zip's MD5 and size), when (UTC, to the
 * second), and what the BEIR reader counted in it. A folder whose manifest names the catalogue's
 * dataset and MD5 is not fetched again.
 *
 * @param counts the folder's counts; null for a dataset in parts
 * @param parts each part's counts by its folder ({@code android} of {@code cqadupstack}); null for
 *     a dataset in one folder
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetManifest(
    String name,
    String url,
    String md5,
    long zipBytes,
    String downloaded,
    FolderCounts counts,
    Map<String, FolderCounts> parts) {
  /** The manifest's file name inside the dataset folder. */
  public static final String FILE = "negbench-dataset.json";

  /**
   * What the BEIR reader counted in one folder.
   *
   * @param splits by split: the queries its qrels judge, its rows, its rows scored above 0
   */
  public record FolderCounts(
      long documents, long queries, Map<String, BeirCatalogue.SplitCounts> splits) {}

  /** The manifest in {@code dir}, or null when there is none or it cannot be read. */
  public static DatasetManifest read(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return Json.read(file, DatasetManifest.class);
    } catch (RuntimeException e) {
      return null; // unreadable: the folder is treated as not downloaded by negbench
    }
  }

  /** Whether this manifest records the catalogue entry's zip. */
  public boolean matches(BeirCatalogue.Entry entry) {
    return entry.name().equals(name) && entry.md5() != null && entry.md5().equals(md5);
  }

  void write(Path dir) {
    Json.write(dir.resolve(FILE), this);
  }
}
