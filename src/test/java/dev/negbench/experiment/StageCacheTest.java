package dev.negbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.io.Json;
import dev.negbench.io.Leases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stage cache shared by several processes: leases, heartbeats, takeovers. */
class StageCacheTest {
  @TempDir Path dir;

  private static final Map<String, Object> KEY = Map.of("corpus", "abc", "k", 3);

  private StageCache cache(Duration timeout, List<String> log) {
    return new StageCache(
        dir.resolve("stages"), new Leases(Leases.Owner.current(), timeout), log::add);
  }

  /** A lease file as another machine's process would have left it. */
  private Path foreignLease(int generation) throws IOException {
    Path stageDir = Files.createDirectories(dir.resolve("stages/mine"));
    Path lease = stageDir.resolve("." + StageCache.hash("mine", KEY) + ".lease." + generation);
    Files.writeString(
        lease,
        Json.MAPPER.writeValueAsString(
            new Leases.Owner("node-elsewhere", 4242, "2026-01-01T00:00:00Z", "x")));
    return lease;
  }

  @Test
  void aLiveLeaseIsLeftAloneAndItsStageIsNotRunTwice() throws Exception {
    // A second: heartbeats every 167 ms stay live on a loaded 2-core machine.
    Duration timeout = Duration.ofSeconds(1);
    StageCache a = cache(timeout, new CopyOnWriteArrayList<>());
    List<String> bLog = new CopyOnWriteArrayList<>();
    StageCache b = cache(timeout, bLog);
    AtomicInteger bodies = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // Threads of their own: the common pool may have a single one.
    ExecutorService threads = Executors.newFixedThreadPool(2);
    CompletableFuture<StageCache.Entry> first =
        CompletableFuture.supplyAsync(
            () ->
                a.run(
                    "mine",
                    KEY,
                    out -> {
                      bodies.incrementAndGet();
                      Files.writeString(out.resolve("negatives.jsonl"), "a's\n");
                      started.countDown();
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                      }
                    }),
            threads);
    assertTrue(started.await(10, TimeUnit.SECONDS));
    Path running = dir.resolve("stages/mine/." + StageCache.hash("mine", KEY) + ".running.1");
    CompletableFuture<StageCache.Entry> second =
        CompletableFuture.supplyAsync(() -> b.run("mine", KEY, out -> bodies.incrementAndGet()));
    // Three timeouts: the holder's heartbeat keeps its lease live all along.
    Thread.sleep(timeout.toMillis() * 3);
    assertFalse(second.isDone(), "the second process waits");
    assertTrue(bLog.stream().anyMatch(l -> l.contains("waiting, held by")), bLog.toString());
    assertEquals(1, bodies.get());
    assertEquals("a's\n", Files.readString(running.resolve("negatives.jsonl")));
    release.countDown();
    StageCache.Entry e = second.get(10, TimeUnit.SECONDS);
    assertTrue(e.reused());
    assertFalse(first.get().reused());
    assertEquals("a's\n", Files.readString(e.dir().resolve("negatives.jsonl")));
    assertEquals(1, bodies.get(), "the stage ran once");
    assertTrue(bLog.stream().anyMatch(l -> l.contains("done by its holder")), bLog.toString());
    threads.shutdown();
    assertEquals(
        List.of(e.hash()),
        Files.list(e.dir().getParent()).map(p -> p.getFileName().toString()).toList(),
        "no lease or temporary folder is left");
  }

  @Test
  void aStaleLeaseIsTakenOverAfterTheTimeout() throws IOException {
    Path lease = foreignLease(1);
    Path leftover =
        Files.createDirectories(
            lease.resolveSibling("." + StageCache.hash("mine", KEY) + ".running.1"));
    Files.writeString(leftover.resolve("half.jsonl"), "half");
    Duration timeout = Duration.ofMillis(400);
    List<String> log = new CopyOnWriteArrayList<>();
    long start = System.nanoTime();
    StageCache.Entry e =
        cache(timeout, log).run("mine", KEY, out -> Files.writeString(out.resolve("n"), "b"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms >= timeout.toMillis(), "taken over only after the timeout, took " + ms + " ms");
    assertFalse(e.reused());
    assertEquals("b", Files.readString(e.dir().resolve("n")));
    assertFalse(Files.exists(leftover), "the dead holder's folder is removed");
    assertFalse(Files.exists(lease));
    assertTrue(log.stream().anyMatch(l -> l.contains("taking it over")), log.toString());
  }

  @Test
  void aLeaseWhoseHeartbeatGoesOnIsNeverTakenOver() throws Exception {
    Path lease = foreignLease(3);
    Duration timeout = Duration.ofMillis(200);
    StageCache c = cache(timeout, new CopyOnWriteArrayList<>());
    c.whenHeld(StageCache.WhenHeld.SKIP);
    // Beating (as the foreign holder would) for five timeouts: every look finds it held.
    for (int i = 0; i < 25; i++) {
      Files.setLastModifiedTime(
          lease, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
      StageCache.Held h = assertThrows(StageCache.Held.class, () -> c.run("mine", KEY, out -> {}));
      assertEquals("node-elsewhere", h.holder().host());
      Thread.sleep(40);
    }
    assertTrue(Files.exists(lease));
  }

  @Test
  void aDeadProcessOfThisHostLosesItsLeaseAtOnce() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path stageDir = Files.createDirectories(dir.resolve("stages/mine"));
    Leases.Owner dead =
        new Leases.Owner(Leases.Owner.current().host(), gone.pid(), "2026-01-01T00:00:00Z", "dead");
    Files.writeString(
        stageDir.resolve("." + StageCache.hash("mine", KEY) + ".lease.1"),
        Json.MAPPER.writeValueAsString(dead));
    long start = System.nanoTime();
    StageCache.Entry e =
        cache(Duration.ofMinutes(5), new CopyOnWriteArrayList<>()).run("mine", KEY, out -> {});
    assertFalse(e.reused());
    assertTrue((System.nanoTime() - start) / 1e9 < 30, "no wait for a lease timeout");
  }
}
