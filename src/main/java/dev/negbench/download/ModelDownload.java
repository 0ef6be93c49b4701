package dev.negbench.download;

import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Downloads a model repository from a Hugging Face hub into the hub cache, in the layout
 * huggingface_hub's {@code snapshot_download} leaves ({@link HubCache}), so that Python tools and
 * negbench share one copy and {@code ModelResolver} finds it. One API request lists the files at
 * the revision ({@link HubClient}); {@link FileSelection} picks what to take; a file the snapshot
 * already links, or whose blob is already there, is not fetched again.
 *
 * <p>Every file is fetched into {@code blobs/ETAG.incomplete} and checked: its size against the
 * listing, an LFS file's SHA-256 against the one the hub reports, a git file's blob id when its
 * ETag is that id. Only when all passed are they moved into {@code blobs/}, linked from {@code
 * snapshots/COMMIT/}, and {@code refs/REVISION} written, last and atomically. A failure removes
 * this download's files (and the repository's folder when the download made it): nothing
 * half-written stays.
 */
public final class ModelDownload {
  /** A repository id, {@code name} or {@code org/name}, as {@code ModelResolver} reads it. */
  private static final Pattern REPO_ID =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");

  /** An ETag usable as a blob's file name (hub ETags are hex digests). */
  private static final Pattern BLOB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Path cache;
  private final HubClient hub;
  private final Progress.Factory progress;

  /**
   * @param cache the hub cache folder (the one holding {@code models--ORG--NAME})
   * @param endpoint the hub's base URL, e.g. {@code https://huggingface.co}
   * @param token an access token for gated or private repositories ({@code HF_TOKEN}), or null
   * @param progress shows the bytes fetched
   */
  public ModelDownload(Path cache, String endpoint, String token, Progress.Factory progress) {
    this.cache = cache;
    this.hub = new HubClient(endpoint, token);
    this.progress = progress;
  }

  /** The hub of huggingface_hub's default, {@code https://huggingface.co}. */
  public static String defaultEndpoint() {
    return HubClient.DEFAULT_ENDPOINT;
  }

  /** What a download did: the snapshot it left, the files in it, and what it fetched for them. */
  public record Result(
      String repo,
      String commit,
      Path snapshot,
      List<HubFile> files,
      int fetched,
      long bytesFetched) {}

  /**
   * The files a download of {@code repo} at {@code revision} would take, with their sizes, asking
   * the hub's API once and writing nothing.
   *
   * @param includes globs naming the files; empty for negbench's default set
   */
  public List<HubFile> plan(String repo, String revision, List<String> includes) {
    checkNames(repo, revision);
    return FileSelection.select(repo, hub.list(repo, revision).files(), includes);
  }

  /** Downloads what {@link #plan} lists into the cache and returns what it did. */
  public Result download(String repo, String revision, List<String> includes) {
    checkNames(repo, revision);
    HubClient.Listing listing = hub.list(repo, revision);
    List<HubFile> files = FileSelection.select(repo, listing.files(), includes);
    String commit = listing.commit();
    HubCache layout = new HubCache(cache, repo);
    boolean created = !Files.exists(layout.root());
    List<HubFile> missing = files.stream().filter(f -> !layout.has(commit, f.path())).toList();
    List<HubFile> toFetch = missing.stream().filter(f -> !layout.hasBlob(f.blobName())).toList();
    long total =
        toFetch.stream().anyMatch(f -> f.size() < 0)
            ? -1
            : toFetch.stream().mapToLong(HubFile::size).sum();
    Map<HubFile, String> blobOf = new LinkedHashMap<>();
    Map<String, Path> pending = new LinkedHashMap<>(); // blob name -> its .incomplete file
    long bytes = 0;
    int fetched = 0;
    try {
      try (Progress bar = toFetch.isEmpty() ? Progress.NONE : progress.startBytes(repo, total)) {
        for (HubFile f : missing) {
          if (layout.hasBlob(f.blobName())) {
            blobOf.put(f, f.blobName());
            continue;
          }
          Fetched got = fetch(layout, repo, commit, f, pending, bar);
          blobOf.put(f, got.blob());
          bytes += got.bytes();
          fetched += got.read() ? 1 : 0;
        }
      }
      for (Map.Entry<String, Path> p : pending.entrySet()) {
        AtomicFiles.move(p.getValue(), layout.blob(p.getKey()));
      }
      pending.clear();
      blobOf.forEach((f, blob) -> layout.link(commit, f.path(), blob));
      layout.writeRef(revision, commit);
    } catch (IOException e) {
      discard(layout, created, pending, e);
      throw new UncheckedIOException("cannot place the blobs of " + repo + " in " + cache, e);
    } catch (RuntimeException e) {
      discard(layout, created, pending, e);
      throw e;
    }
    return new Result(repo, commit, layout.snapshot(commit), files, fetched, bytes);
  }

  /**
   * One file fetched into its {@code .incomplete} blob ({@code read}), or found already there by
   * the ETag its answer carried.
   */
  private record Fetched(String blob, long bytes, boolean read) {}

  private Fetched fetch(
      HubCache layout,
      String repo,
      String commit,
      HubFile f,
      Map<String, Path> pending,
      Progress bar) {
    String where = repo + "/" + f.path();
    HubClient.Download d = hub.open(repo, commit, f.path());
    try (InputStream in = d.body()) {
      if (d.commit() != null && !d.commit().equals(commit)) {
        throw new HubException(
            where + ": the hub served commit " + d.commit() + ", its listing named " + commit);
      }
      String name = d.etag() != null ? d.etag() : f.blobName();
      if (name == null || !BLOB_NAME.matcher(name).matches()) {
        throw new HubException(where + ": the hub sent no usable ETag to name the blob: " + name);
      }
      String sha256 = f.sha256() != null ? f.sha256() : d.linked() ? name : null;
      if (sha256 != null && !sha256.equals(name)) {
        throw new HubException(
            where + ": the listing gives SHA-256 " + sha256 + ", the download's ETag " + name);
      }
      if (layout.hasBlob(name) || pending.containsKey(name)) {
        // The same bytes as a blob already there (or on its way): the body is not read.
        return new Fetched(name, 0, false);
      }
      Path tmp = layout.incomplete(name);
      pending.put(name, tmp);
      long n = copy(in, tmp, f, sha256, name, where, bar);
      return new Fetched(name, n, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot download " + where + " from " + d.host(), e);
    }
  }

  /**
   * Streams the body into {@code tmp}, synced, and checks it: the listed size, the SHA-256 of an
   * LFS file, the git blob id of a file whose ETag is that id. Returns the bytes written.
   */
  private static long copy(
      InputStream in, Path tmp, HubFile f, String sha256, String etag, String where, Progress bar)
      throws IOException {
    MessageDigest sha = sha256 != null ? AtomicFiles.newSha256() : null;
    // A git blob id is SHA-1 over "blob SIZE\0" and the bytes; checkable when the size is listed.
    MessageDigest git = sha256 == null && etag.equals(f.gitOid()) && f.size() >= 0 ? sha1() : null;
    if (git != null) {
      git.update(("blob " + f.size() + "\0").getBytes(StandardCharsets.US_ASCII));
    }
    Files.createDirectories(tmp.getParent());
    long written = 0;
    byte[] buf = new byte[1 << 16];
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      int n;
      while ((n = read(in, buf, written, f.size())) > 0) {
        ByteBuffer chunk = ByteBuffer.wrap(buf, 0, n);
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
        if (sha != null) {
          sha.update(buf, 0, n);
        }
        if (git != null) {
          git.update(buf, 0, n);
        }
        written += n;
        bar.advance(n);
      }
      out.force(true);
    }
    if (f.size() >= 0 && written != f.size()) {
      throw new HubException(
          where + ": " + written + " bytes arrived, the hub lists " + f.size() + "; nothing kept");
    }
    check(sha, sha256, "SHA-256", where);
    check(git, f.gitOid(), "git blob id", where);
    return written;
  }

  /** Reads the body; a broken connection says how far it got. */
  private static int read(InputStream in, byte[] buf, long written, long size) throws IOException {
    try {
      return in.read(buf);
    } catch (IOException e) {
      String of = size >= 0 ? " of " + size : "";
      throw new IOException("the connection broke after " + written + of + " bytes: " + e, e);
    }
  }

  private static void check(MessageDigest digest, String expected, String what, String where) {
    if (digest == null) {
      return;
    }
    String got = HexFormat.of().formatHex(digest.digest());
    if (!got.equals(expected)) {
      throw new HubException(
          where
              + ": "
              + what
              + " of the download is "
              + got
              + ", the hub reports "
              + expected
              + "; nothing kept");
    }
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-1", e);
    }
  }

  /** Removes this download's files, and the repository folder when this download made it. */
  private static void discard(
      HubCache layout, boolean created, Map<String, Path> pending, Exception cause) {
    try {
      for (Path p : pending.values()) {
        Files.deleteIfExists(p);
      }
      if (created) {
        AtomicFiles.deleteTree(layout.root());
      }
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }

  private static void checkNames(String repo, String revision) {
    if (!REPO_ID.matcher(repo).matches()) {
      throw new IllegalArgumentException(
          "not a Hugging Face repository id: '" + repo + "'; expected ORG/NAME or NAME");
    }
    if (revision.isBlank() || !HubClient.safePath(revision)) {
      throw new IllegalArgumentException(
          "--revision: expected a branch, tag or commit, was '" + revision + "'");
    }
  }
}
