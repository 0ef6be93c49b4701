package dev.negbench.io;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Exclusive claims on shared work by many processes on a filesystem that several machines mount
 * (NFS, Lustre): only exclusive create and a file's modification time are relied on, never {@code
 * flock}. A claim on NAME in a folder is a file {@code NAME.lease.G}, G its generation, created
 * atomically (a hard link to a file already holding its owner), so that of two processes only one
 * gets it. The holder touches it every {@code timeout / 6} (the heartbeat). A lease is stale when
 * its owner is a process of this host that is gone, or when another process has watched its
 * modification time stand still for {@code timeout} by its own clock (no clock is compared across
 * machines). A stale lease G is taken over by creating {@code NAME.lease.G+1}: again only one
 * process can, and the former holder, should it still run, finds its lease lost.
 */
public final class Leases implements AutoCloseable {
  /** Who holds a lease: host, pid and the process's start time, and one id per {@link Leases}. */
  public record Owner(String host, long pid, String started, String id) {
    /** This process, with a fresh id. */
    public static Owner current() {
      ProcessHandle me = ProcessHandle.current();
      return new Owner(
          hostName(),
          me.pid(),
          me.info().startInstant().map(Instant::toString).orElse("unknown"),
          UUID.randomUUID().toString().substring(0, 8));
    }

    /** True when this owner is a process of this host that no longer runs. */
    @JsonIgnore
    boolean goneFromThisHost() {
      if (!host.equals(hostName())) {
        return false;
      }
      Optional<ProcessHandle> h = ProcessHandle.of(pid);
      if (h.isEmpty() || !h.get().isAlive()) {
        return true;
      }
      // A reused pid: the process running now started at another time.
      Optional<Instant> start = h.get().info().startInstant();
      return start.isPresent()
          && !"unknown".equals(started)
          && !start.get().toString().equals(started);
    }

    @Override
    public String toString() {
      return host + " pid " + pid;
    }
  }

  /**
   * What {@link #tryTake} found: the lease, now held (taken over from {@code holder} when that is
   * not null: its lease was stale), or the owner of the live one.
   */
  public record Attempt(Lease lease, Owner holder) {
    public boolean taken() {
      return lease != null;
    }
  }

  /** A lease held by this process; {@link #close} gives it up. */
  public final class Lease implements AutoCloseable {
    private final Path file;
    private final int generation;
    private final ScheduledFuture<?> beat;
    private volatile boolean lost;
    private volatile boolean closed;

    private Lease(Path file, int generation) {
      this.file = file;
      this.generation = generation;
      long every = Math.max(10, timeout.toMillis() / 6);
      this.beat = beats.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /** The generation: 1 for a first claim, one more for each takeover. */
    public int generation() {
      return generation;
    }

    /** True when another process took the lease over (this one's heartbeat came too late). */
    public boolean lost() {
      if (!lost && !closed && !Files.exists(file)) {
        lost = true;
      }
      return lost;
    }

    private void beat() {
      try {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        String name = file.getFileName().toString();
        Path next =
            file.resolveSibling(name.substring(0, name.lastIndexOf('.') + 1) + (generation + 1));
        if (Files.exists(next)) {
          lost = true;
        }
      } catch (IOException e) {
        lost = true;
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      beat.cancel(false);
      try {
        if (!lost()) {
          Files.deleteIfExists(file);
        }
        closed = true;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot release lease " + file, e);
      }
    }
  }

  private record Seen(FileTime modified, long sinceNanos) {}

  private final Owner me;
  private final Duration timeout;
  private final ScheduledExecutorService beats;
  private final Map<Path, Seen> seen = new ConcurrentHashMap<>();

  public Leases(Owner me, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("a lease timeout must be positive, was " + timeout);
    }
    this.me = me;
    this.timeout = timeout;
    this.beats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lease-heartbeat");
              t.setDaemon(true);
              return t;
            });
  }

  public Owner owner() {
    return me;
  }

  public Duration timeout() {
    return timeout;
  }

  /** How long to sleep between looks at a lease held by another process. */
  public Duration pollInterval() {
    return Duration.ofMillis(Math.clamp(timeout.toMillis() / 10, 20, 1000));
  }

  /**
   * Takes the lease {@code name} in {@code dir} when nobody holds it or its holder's lease is
   * stale; otherwise returns the holder. Never waits.
   */
  public Attempt tryTake(Path dir, String name) {
    try {
      Files.createDirectories(dir);
      for (int tries = 0; ; tries++) {
        int current = newest(dir, name);
        Owner stale = null;
        if (current > 0) {
          Path file = dir.resolve(name + ".lease." + current);
          Owner holder = read(file);
          if (holder == null && !Files.exists(file)) {
            continue; // released while we looked
          }
          if (!stale(file, holder)) {
            return new Attempt(null, holder);
          }
          stale = holder;
        }
        Path file = dir.resolve(name + ".lease." + (current + 1));
        if (create(file)) {
          seen.remove(dir.resolve(name + ".lease." + current));
          for (int g = 1; g <= current; g++) {
            Files.deleteIfExists(dir.resolve(name + ".lease." + g)); // stale: ours replaces them
          }
          return new Attempt(new Lease(file, current + 1), stale);
        }
        if (tries > 3) {
          return new Attempt(null, read(file));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take lease " + name + " in " + dir, e);
    }
  }

  /** The highest generation of {@code name}'s lease files, 0 when there are none. */
  private static int newest(Path dir, String name) throws IOException {
    int newest = 0;
    String prefix = name + ".lease.";
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob(prefix) + "*")) {
      for (Path f : files) {
        String g = f.getFileName().toString().substring(prefix.length());
        if (g.matches("[0-9]{1,9}")) {
          newest = Math.max(newest, Integer.parseInt(g));
        }
      }
    }
    return newest;
  }

  private static String glob(String literal) {
    return literal.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
  }

  /** Creates {@code file} holding this owner, atomically and only if it does not exist. */
  private boolean create(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + "." + me.id() + ".tmp");
    Files.writeString(tmp, Json.MAPPER.writeValueAsString(me) + "\n");
    try {
      Files.createLink(file, tmp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException e) {
      // No hard links: exclusive create, then the owner (a reader meanwhile sees an empty lease
      // and judges it by its heartbeat).
      try {
        Files.createFile(file);
      } catch (FileAlreadyExistsException taken) {
        return false;
      }
      Files.writeString(file, Files.readString(tmp));
      return true;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The owner written in a lease file; null when it is gone or not readable yet. */
  private static Owner read(Path file) {
    try {
      return Json.MAPPER.readValue(Files.readString(file), Owner.class);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      return null; // being written, or damaged: judged by its heartbeat alone
    }
  }

  private boolean stale(Path file, Owner holder) throws IOException {
    if (holder != null && holder.goneFromThisHost()) {
      return true;
    }
    FileTime modified;
    try {
      modified = Files.getLastModifiedTime(file);
    } catch (NoSuchFileException e) {
      return false; // released: the caller looks again
    }
    long now = System.nanoTime();
    Seen s =
        seen.compute(
            file,
            (f, old) ->
                old != null && old.modified().equals(modified) ? old : new Seen(modified, now));
    return now - s.sinceNanos() >= timeout.toNanos();
  }

  /** The host name as the lease files record it (the kernel's, without a DNS lookup on Linux). */
  static String hostName() {
    return HOST;
  }

  private static final String HOST = findHostName();

  private static String findHostName() {
    try {
      Path kernel = Path.of("/proc/sys/kernel/hostname");
      if (Files.isReadable(kernel)) {
        return Files.readString(kernel).strip();
      }
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  @Override
  public void close() {
    beats.shutdownNow();
  }
}
