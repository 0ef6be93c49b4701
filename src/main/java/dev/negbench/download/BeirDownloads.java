package dev.negbench.download;

import dev.negbench.io.AtomicFiles;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code negbench download beir NAME}: a BEIR zip fetched ({@link RangeDownload}, resumable),
 * checked against the catalogue's MD5 before it is opened, unpacked into a temporary folder beside
 * its place ({@link SafeUnzip}), read whole and counted against the catalogue ({@link
 * FolderCheck}), given its manifest ({@link DatasetManifest}) and moved into place in one rename. A
 * dataset already there with a matching manifest is left alone. A failure leaves no folder, and a
 * {@code NAME.zip.part} only while its bytes are a prefix of the file still to come.
 */
public final class BeirDownloads {
  /** BEIR's public location of its zips (its README's download links). */
  public static final URI PUBLIC_BASE =
      URI.create("https://public.ukp.informatik.tu-darmstadt.de/thakur/BEIR/datasets/");

  /** The environment variable that replaces {@link #PUBLIC_BASE} (a mirror, a local copy). */
  public static final String MIRROR_ENV = "NEGBENCH_BEIR_MIRROR";

  private final DataHome home;
  private final BeirCatalogue catalogue;
  private final URI base;
  private final RangeDownload http;
  private final Consumer<String> info;

  /** What a call did. */
  public enum Outcome {
    FETCHED,
    ALREADY_THERE
  }

  public BeirDownloads(
      DataHome home,
      BeirCatalogue catalogue,
      URI base,
      Progress.Factory progress,
      Consumer<String> info) {
    this.home = home;
    this.catalogue = catalogue;
    this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
    this.http = new RangeDownload(progress);
    this.info = info;
  }

  /** {@code mirror} when given, else {@code $NEGBENCH_BEIR_MIRROR}, else BEIR's public base. */
  public static URI base(String mirror) {
    String m = mirror != null ? mirror : System.getenv(MIRROR_ENV);
    return m == null || m.isBlank() ? PUBLIC_BASE : URI.create(m);
  }

  /** Where {@code entry}'s zip is fetched from. */
  public URI url(BeirCatalogue.Entry entry) {
    return base.resolve(entry.zip());
  }

  /** Whether {@code name} is in place with a manifest of the catalogue's zip. */
  public boolean present(String name) {
    DatasetManifest m = DatasetManifest.read(home.dir(name));
    return m != null && m.matches(catalogue.entry(name));
  }

  /**
   * The catalogue entry of a dataset that can be fetched.
   *
   * @throws IllegalArgumentException for an unknown name, a part of another zip, or a dataset BEIR
   *     publishes no zip of
   */
  public BeirCatalogue.Entry downloadable(String name) {
    BeirCatalogue.Entry e = catalogue.entry(name);
    if (!e.downloadable()) {
      String top = DataHome.downloadName(name);
      throw new IllegalArgumentException(
          !top.equals(name)
              ? name + " comes in " + top + "'s zip: run " + DataHome.downloadCommand(top)
              : "BEIR publishes no zip of "
                  + name
                  + " (its README marks it not public and says how to build it); put the BEIR"
                  + " folder at "
                  + home.dir(name));
    }
    return e;
  }

  /** Fetches {@code name} into the data home unless it is there already. */
  public Outcome fetch(String name) {
    BeirCatalogue.Entry e = downloadable(name);
    Path target = home.dir(name);
    if (present(name)) {
      info.accept(name + ": already there (" + target + ", zip MD5 " + e.md5() + ")");
      return Outcome.ALREADY_THERE;
    }
    if (Files.exists(target)) {
      throw new DatasetFormatException(
          target,
          0,
          "a folder is in the way: it has no "
              + DatasetManifest.FILE
              + " for the zip with MD5 "
              + e.md5()
              + "; move it away (or delete it) and run the command again");
    }
    Path root = home.root();
    try {
      Files.createDirectories(root);
      removeStaleUnpacking(root, name);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot prepare the data home " + root, ex);
    }
    Path part = root.resolve(name + ".zip.part");
    long zipBytes = e.zipBytes() == null ? 0 : e.zipBytes();
    long left = Math.max(0, zipBytes - (Files.exists(part) ? part.toFile().length() : 0));
    DiskSpace.require(
        root,
        left + (long) (zipBytes * DiskSpace.UNPACKED_PER_ZIP_BYTE),
        name + ".zip and its unpacked folder");
    URI url = url(e);
    info.accept(
        name
            + ": fetching "
            + url
            + (e.zipBytes() == null ? "" : " (" + DiskSpace.human(e.zipBytes()) + ")")
            + " into "
            + target);
    long length = http.fetch(url, part);
    try {
      String md5 = md5(part);
      if (!md5.equals(e.md5())) {
        throw new DatasetFormatException(
            part,
            0,
            "the zip from "
                + url
                + " has MD5 "
                + md5
                + ", expected "
                + e.md5()
                + " (catalogue "
                + catalogue.source()
                + "): not the zip BEIR published; deleted it");
      }
      info.accept(
          name + ": " + DiskSpace.human(length) + ", MD5 " + md5 + " as the catalogue says");
      unpackInPlace(e, part, url, length, target);
    } finally {
      RangeDownload.discard(part); // whole: a rerun would refetch it anyway, or it is in place
    }
    info.accept(name + ": in place at " + target);
    return Outcome.FETCHED;
  }

  private void unpackInPlace(BeirCatalogue.Entry e, Path zip, URI url, long length, Path target) {
    Path tmp;
    try {
      tmp = Files.createTempDirectory(home.root(), "." + e.name() + ".unpack-");
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot create a folder in " + home.root(), ex);
    }
    try {
      SafeUnzip.unpack(zip, tmp);
      Path folder = Files.isDirectory(tmp.resolve(e.name())) ? tmp.resolve(e.name()) : tmp;
      DatasetManifest.FolderCounts counts = null;
      Map<String, DatasetManifest.FolderCounts> parts = null;
      if (catalogue.parts(e.name()).isEmpty()) {
        counts = FolderCheck.check(folder, e, catalogue.source());
      } else {
        parts = new LinkedHashMap<>();
        for (BeirCatalogue.Entry p : catalogue.parts(e.name())) {
          String sub = p.name().substring(e.name().length() + 1);
          parts.put(sub, FolderCheck.check(folder.resolve(sub), p, catalogue.source()));
        }
      }
      info.accept(e.name() + ": read whole; documents, queries and qrels as the catalogue says");
      String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
      new DatasetManifest(e.name(), url.toString(), e.md5(), length, now, counts, parts)
          .write(folder);
      Files.createDirectories(target.getParent());
      try {
        Files.move(folder, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException ex) {
        Files.move(folder, target);
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot move the unpacked " + e.name() + " to " + target, ex);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /** Unpacking folders a killed run left behind. */
  private static void removeStaleUnpacking(Path root, String name) throws IOException {
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(root, "." + name + ".unpack-*")) {
      for (Path p : stale) {
        AtomicFiles.deleteTree(p);
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      AtomicFiles.deleteTree(dir);
    } catch (IOException ex) {
      // a leftover is removed by the next run (removeStaleUnpacking)
    }
  }

  /** The file's MD5, hex: the checksum BEIR publishes for its zips. */
  static String md5(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md5.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md5.digest());
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot read " + file, ex);
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("this JVM has no MD5", ex);
    }
  }
}
