package dev.negbench.download;

import dev.negbench.data.TinyDatasets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Fixture zips in BEIR's layout ({@code NAME/corpus.jsonl}, ...) and catalogues that name them. */
public final class BeirZips {
  private BeirZips() {}

  /** The counts of {@link TinyDatasets#small}: 6 documents, 4 queries, train and test qrels. */
  public static final String SMALL_COUNTS = "6\t4\ttest=1/1/1 train=4/5/3";

  /** {@link TinyDatasets#small} as BEIR zips it: every file under {@code NAME/}. */
  public static byte[] small(Path scratch, String name) throws IOException {
    Path dir = TinyDatasets.small(scratch.resolve(name));
    return zip(dir, name + "/", Map.of());
  }

  /** The files under {@code dir} with {@code prefix} before their names, plus {@code extra}. */
  public static byte[] zip(Path dir, String prefix, Map<String, String> extra) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes);
        Stream<Path> walk = Files.walk(dir)) {
      List<Path> files = new ArrayList<>(walk.filter(Files::isRegularFile).sorted().toList());
      for (Path f : files) {
        zip.putNextEntry(new ZipEntry(prefix + dir.relativize(f).toString().replace('\\', '/')));
        zip.write(Files.readAllBytes(f));
        zip.closeEntry();
      }
      for (var e : extra.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue().getBytes());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  public static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A catalogue file with one line per row: {@code NAME\tZIP\tMD5\tBYTES\tDOCS\tQUERIES\tSPLITS}.
   */
  public static Path catalogue(Path file, String... rows) throws IOException {
    StringBuilder text =
        new StringBuilder(
            "# a test catalogue\nname\tzip\tmd5\tzip_bytes\tdocuments\tqueries\tsplits\n");
    for (String r : rows) {
      text.append(r).append('\n');
    }
    Files.writeString(file, text);
    return file;
  }

  /** The row of a zip of {@link TinyDatasets#small} named {@code name}, with its true MD5. */
  public static String row(String name, byte[] zip) {
    return name + "\t" + name + ".zip\t" + md5(zip) + "\t" + zip.length + "\t" + SMALL_COUNTS;
  }

  /**
   * Sets the data home for the code under test (the {@code negbench.data} property) until closed.
   */
  public static AutoCloseable dataHome(Path dir) {
    String before = System.getProperty(DataHome.PROPERTY);
    System.setProperty(DataHome.PROPERTY, dir.toString());
    return () -> {
      if (before == null) {
        System.clearProperty(DataHome.PROPERTY);
      } else {
        System.setProperty(DataHome.PROPERTY, before);
      }
    };
  }
}
