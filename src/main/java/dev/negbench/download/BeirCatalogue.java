package dev.negbench.download;

import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.TextLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BEIR's datasets as BEIR publishes them: each zip's address, MD5 and size, and the documents,
 * queries and judged pairs per split (the resource {@code beir-datasets.tsv}, whose header says
 * where every number comes from). A download is checked against it, and {@code reproduce --plan}
 * counts a dataset by it before it is downloaded.
 */
public final class BeirCatalogue {
  /** The committed catalogue, beside this class. */
  static final String RESOURCE = "beir-datasets.tsv";

  private static final String HEADER = "name\tzip\tmd5\tzip_bytes\tdocuments\tqueries\tsplits";
  private static final Pattern SPLIT = Pattern.compile("([a-z0-9_-]+)=(\\d*)/(\\d*)/(\\d*)");
  private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");

  private static BeirCatalogue standard;

  private final Path source;
  private final Map<String, Entry> entries;

  private BeirCatalogue(Path source, Map<String, Entry> entries) {
    this.source = source;
    this.entries = Collections.unmodifiableMap(entries);
  }

  /**
   * A split's counts; null where the sources give none.
   *
   * @param queries the queries its qrels judge
   * @param judged its qrels rows (pairs of any score)
   * @param relevant its rows with a score above 0
   */
  public record SplitCounts(Long queries, Long judged, Long relevant) {}

  /**
   * One dataset; null fields are numbers the sources give none for.
   *
   * @param zip the zip's path under the base URL; null for a dataset BEIR publishes no zip of, or a
   *     part of another dataset's zip
   * @param splits by split name, in the catalogue's order
   */
  public record Entry(
      String name,
      String zip,
      String md5,
      Long zipBytes,
      Long documents,
      Long queries,
      Map<String, SplitCounts> splits) {
    /** Whether a zip of it can be fetched (public, and not a part of another's zip). */
    public boolean downloadable() {
      return zip != null;
    }
  }

  /** The catalogue committed with negbench. */
  public static synchronized BeirCatalogue standard() {
    if (standard == null) {
      try (InputStream in = BeirCatalogue.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("the BEIR catalogue resource is missing: " + RESOURCE);
        }
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        standard = parse(Path.of(RESOURCE), text);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the BEIR catalogue " + RESOURCE, e);
      }
    }
    return standard;
  }

  /** A catalogue file of the same format (tests, or a mirror of other zips). */
  public static BeirCatalogue read(Path file) {
    try (TextLines lines = TextLines.open(file)) {
      StringBuilder text = new StringBuilder();
      for (String line = lines.next(); line != null; line = lines.next()) {
        text.append(line).append('\n');
      }
      return parse(file, text.toString());
    }
  }

  static BeirCatalogue parse(Path file, String text) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    boolean header = false;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (!header) {
        if (!line.equals(HEADER)) {
          throw new DatasetFormatException(file, i + 1, "expected the header line: " + HEADER);
        }
        header = true;
        continue;
      }
      Entry e = entry(file, i + 1, line);
      if (entries.put(e.name(), e) != null) {
        throw new DatasetFormatException(file, i + 1, "dataset '" + e.name() + "' listed twice");
      }
    }
    if (entries.isEmpty()) {
      throw new DatasetFormatException(file, 0, "expected a header line and one dataset a line");
    }
    return new BeirCatalogue(file, entries);
  }

  private static Entry entry(Path file, long line, String text) {
    String[] f = text.split("\t", -1);
    if (f.length != 7) {
      throw new DatasetFormatException(
          file, line, "expected 7 tab-separated fields (" + HEADER + "), found " + f.length);
    }
    if (!DataHome.isName(f[0])) {
      throw new DatasetFormatException(file, line, "expected a dataset name, found '" + f[0] + "'");
    }
    String zip = f[1].isEmpty() ? null : f[1];
    String md5 = f[2].isEmpty() ? null : f[2];
    if ((zip == null) != (md5 == null) || (md5 != null && !MD5.matcher(md5).matches())) {
      throw new DatasetFormatException(
          file, line, "expected a zip path with its MD5 (32 hex digits), or neither");
    }
    Map<String, SplitCounts> splits = new LinkedHashMap<>();
    if (!f[6].isBlank()) {
      for (String s : f[6].trim().split(" +")) {
        Matcher m = SPLIT.matcher(s);
        if (!m.matches()) {
          throw new DatasetFormatException(
              file,
              line,
              "expected SPLIT=QUERIES/JUDGED/RELEVANT (numbers may be empty), found " + s);
        }
        splits.put(
            m.group(1),
            new SplitCounts(number(m.group(2)), number(m.group(3)), number(m.group(4))));
      }
    }
    try {
      return new Entry(
          f[0],
          zip,
          md5,
          number(f[3]),
          number(f[4]),
          number(f[5]),
          Collections.unmodifiableMap(splits));
    } catch (NumberFormatException e) {
      throw new DatasetFormatException(
          file, line, "expected whole numbers or empty fields: " + e.getMessage());
    }
  }

  private static Long number(String s) {
    return s.isEmpty() ? null : Long.valueOf(s);
  }

  /** The file or resource it was read from. */
  public Path source() {
    return source;
  }

  /** Every entry, in the catalogue's order. */
  public List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  /** The entry of {@code name}, or null. */
  public Entry find(String name) {
    return entries.get(name);
  }

  /**
   * The entry of {@code name}.
   *
   * @throws IllegalArgumentException naming the datasets it knows
   */
  public Entry entry(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      throw new IllegalArgumentException(
          "unknown BEIR dataset '" + name + "' (catalogue " + source + "); known: " + names());
    }
    return e;
  }

  /** The datasets a zip can be fetched of. */
  public List<String> names() {
    return entries.values().stream().filter(Entry::downloadable).map(Entry::name).toList();
  }

  /** The entries inside {@code name}'s zip: its parts ({@code NAME/PART}), in order. */
  public List<Entry> parts(String name) {
    List<Entry> parts = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.name().startsWith(name + "/")) {
        parts.add(e);
      }
    }
    return parts;
  }
}
