package dev.negbench.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import dev.negbench.io.Leases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Outputs of pipeline stages, each in a folder named by a hash of everything the stage reads (input
 * checksums) and its settings: {@code ROOT/STAGE/HASH/}. A stage runs in a temporary folder beside
 * its final one; its {@code key.json} and then the {@code .done} marker are written last, and the
 * folder is renamed into place. So a folder that exists with its marker is complete, a rerun with
 * the same key skips the stage, a changed input or setting gets a new folder.
 *
 * <p>Many processes, on machines that mount one filesystem, may share a cache: a stage is run only
 * under its lease ({@link Leases}, {@code ROOT/STAGE/.HASH.lease.G}), in {@code
 * ROOT/STAGE/.HASH.running.G}. Another process that needs it waits for it (or, with {@link
 * WhenHeld#SKIP}, goes to other work), and takes it over only once the lease is stale; then, and
 * only then, the dead holder's temporary folder is deleted.
 */
public final class StageCache {
  /** Written last into a finished stage folder. */
  public static final String DONE = ".done";

  private static final ObjectMapper CANONICAL =
      Json.PLAIN
          .copy()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY);

  /** The lease timeout of {@code reproduce --lease-timeout}'s default. */
  public static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofMinutes(3);

  /** What {@link #run} does when another live process holds the stage. */
  public enum WhenHeld {
    /** Wait until it is done, or its lease is stale. */
    WAIT,
    /**
     * Throw {@link Held} (a stage that the running stage's body needs is still waited for: a lease
     * held is never given up half way).
     */
    SKIP
  }

  /** A stage held by another live process, thrown under {@link WhenHeld#SKIP}. */
  public static final class Held extends RuntimeException {
    private final String stage;
    private final Leases.Owner holder;

    Held(String stage, String hash, Leases.Owner holder) {
      super(stage + "/" + hash + " is held by " + (holder == null ? "another process" : holder));
      this.stage = stage + "/" + hash;
      this.holder = holder;
    }

    /** STAGE/HASH. */
    public String stage() {
      return stage;
    }

    public Leases.Owner holder() {
      return holder;
    }
  }

  private final Path root;
  private final Leases leases;
  private final Consumer<String> log;
  private volatile WhenHeld whenHeld = WhenHeld.WAIT;
  // Stages whose bodies run now: a stage asked for meanwhile is one they need.
  private final AtomicInteger running = new AtomicInteger();
  private double secondsWaited;

  /** A cache of one process, with the default lease timeout and no log of its waits. */
  public StageCache(Path root) {
    this(root, new Leases(Leases.Owner.current(), DEFAULT_LEASE_TIMEOUT), s -> {});
  }

  /** A cache whose stages are claimed with {@code leases}; waits are logged to {@code log}. */
  public StageCache(Path root, Leases leases, Consumer<String> log) {
    this.root = root;
    this.leases = leases;
    this.log = log;
  }

  public Path root() {
    return root;
  }

  public Leases leases() {
    return leases;
  }

  /** Sets what {@link #run} does about a stage another process holds. */
  public void whenHeld(WhenHeld policy) {
    this.whenHeld = policy;
  }

  /** Seconds spent waiting for stages other processes held. */
  public synchronized double secondsWaited() {
    return secondsWaited;
  }

  /** Writes a stage's outputs into {@code out}, an empty folder. */
  @FunctionalInterface
  public interface Body {
    void run(Path out) throws IOException;
  }

  /** A finished stage folder, and whether it was reused from an earlier run. */
  public record Entry(Path dir, String hash, boolean reused) {}

  /**
   * The folder of {@code stage} for {@code key} (a map of checksums and settings, any JSON-able
   * values), running {@code body} first when no finished folder exists.
   */
  public Entry run(String stage, Map<String, ?> key, Body body) {
    String hash = hash(stage, key);
    Path stageDir = root.resolve(stage);
    Path dir = stageDir.resolve(hash);
    long waitingSince = 0;
    Leases.Owner waitedFor = null;
    while (true) {
      if (Files.isRegularFile(dir.resolve(DONE))) {
        waited(stage, hash, waitedFor, waitingSince, "done by its holder");
        return new Entry(dir, hash, true);
      }
      Leases.Attempt a = leases.tryTake(stageDir, "." + hash);
      if (a.taken()) {
        waited(stage, hash, waitedFor, waitingSince, "its lease went stale");
        if (a.holder() != null || a.lease().generation() > 1) {
          log.accept(
              String.format(
                  Locale.ROOT,
                  "%-9s %s: taking it over from %s, whose lease is stale",
                  stage,
                  hash,
                  describe(a.holder())));
        }
        Entry e = runHolding(stage, key, body, stageDir, dir, hash, a.lease());
        if (e != null) {
          return e;
        }
        continue; // our lease was taken over while the body ran: the new holder finishes it
      }
      if (whenHeld == WhenHeld.SKIP && running.get() == 0) {
        throw new Held(stage, hash, a.holder());
      }
      if (waitedFor == null) {
        waitingSince = System.nanoTime();
        waitedFor = a.holder() == null ? leases.owner() : a.holder();
        log.accept(
            String.format(
                Locale.ROOT, "%-9s %s: waiting, held by %s", stage, hash, describe(a.holder())));
      }
      sleep(leases.pollInterval());
    }
  }

  /**
   * Runs {@code body} under the lease {@code name} in {@code ROOT/STAGE}, waiting for another
   * holder as long as its lease is live: for what lives outside the cache but must not be built by
   * two processes at once (the BM25 index folder).
   */
  public <T> T exclusively(String stage, String name, Supplier<T> body) {
    Path stageDir = root.resolve(stage);
    long since = 0;
    Leases.Owner waitedFor = null;
    while (true) {
      Leases.Attempt a = leases.tryTake(stageDir, "." + name);
      if (a.taken()) {
        waited(stage, name, waitedFor, since, "released");
        try (Leases.Lease lease = a.lease()) {
          return body.get();
        }
      }
      if (waitedFor == null) {
        since = System.nanoTime();
        waitedFor = a.holder() == null ? leases.owner() : a.holder();
      }
      sleep(leases.pollInterval());
    }
  }

  /** Runs the stage under {@code lease}; null when the lease was lost to another process. */
  private Entry runHolding(
      String stage,
      Map<String, ?> key,
      Body body,
      Path stageDir,
      Path dir,
      String hash,
      Leases.Lease lease) {
    Path tmp = null;
    try {
      if (Files.isRegularFile(dir.resolve(DONE))) {
        return new Entry(dir, hash, true);
      }
      // Ours is the only live lease: other temporary folders of this key are dead holders'.
      removeLeftovers(stageDir, hash);
      if (Files.exists(dir)) {
        AtomicFiles.deleteTree(dir); // no marker: not ours to trust
      }
      tmp = Files.createDirectory(stageDir.resolve("." + hash + ".running." + lease.generation()));
      running.incrementAndGet();
      try {
        body.run(tmp);
      } finally {
        running.decrementAndGet();
      }
      AtomicFiles.writeString(tmp.resolve("key.json"), pretty(key));
      AtomicFiles.writeString(tmp.resolve(DONE), hash + "\n");
      if (lease.lost()) {
        return null;
      }
      AtomicFiles.move(tmp, dir);
      tmp = null;
      return new Entry(dir, hash, false);
    } catch (IOException | RuntimeException e) {
      if (lease.lost()) {
        return null; // its folder was deleted under it by the process that took it over
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new UncheckedIOException(
          "stage " + stage + " failed in " + (tmp == null ? dir : tmp), (IOException) e);
    } finally {
      if (tmp != null) {
        try {
          AtomicFiles.deleteTree(tmp);
        } catch (IOException ignored) {
          // the next holder removes it
        }
      }
      lease.close(); // after the catch: a lease released is not a lease lost
    }
  }

  private void waited(String stage, String hash, Leases.Owner holder, long since, String how) {
    if (holder == null) {
      return;
    }
    double s = (System.nanoTime() - since) / 1e9;
    synchronized (this) {
      secondsWaited += s;
    }
    log.accept(
        String.format(
            Locale.ROOT,
            "%-9s %s: waited %.1f s for %s: %s",
            stage,
            hash,
            s,
            describe(holder),
            how));
  }

  private static String describe(Leases.Owner holder) {
    return holder == null ? "another process" : holder.toString();
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a stage", e);
    }
  }

  /** Temporary folders of earlier holders of the same key, whose leases are stale. */
  private static void removeLeftovers(Path stageDir, String hash) throws IOException {
    try (DirectoryStream<Path> stale =
        Files.newDirectoryStream(stageDir, "." + hash + ".running.*")) {
      for (Path p : stale) {
        AtomicFiles.deleteTree(p);
      }
    }
  }

  /** The folder name of a stage's key. */
  static String hash(String stage, Map<String, ?> key) {
    return AtomicFiles.sha256(stage + "\n" + canonical(key)).substring(0, 20);
  }

  /** The key as JSON with sorted map keys: equal keys give equal text. */
  static String canonical(Map<String, ?> key) {
    try {
      return CANONICAL.writeValueAsString(key);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("stage key is not JSON-serialisable: " + key, e);
    }
  }

  private static String pretty(Map<String, ?> key) throws JsonProcessingException {
    return CANONICAL.writerWithDefaultPrettyPrinter().writeValueAsString(key) + "\n";
  }
}
