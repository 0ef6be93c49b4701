package dev.negbench.generate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends the requests of one call of {@link Generation#run}: pairs start at the {@link Arrivals}
 * pace, at most {@code concurrency} in flight, each retried with exponential backoff and full
 * jitter, honouring {@code Retry-After}, over the {@link EndpointPool}'s replicas; each finished
 * pair's {@link GenerationLine} is appended to the cache. The first error (an {@link
 * EndpointsDownException}, a bug) stops it: backoff waits end early, no more work starts, and the
 * pairs not finished are left out of the cache, to be sent again by the next call.
 */
final class RequestLoop {
  private final GeneratorProfile gen;
  private final ChatClient client;
  private final EndpointPool pool;
  private final GenerationSettings settings;
  private final GenerationCache cache;
  private final Progress bar;
  private final String session;
  private final Semaphore permits;
  private final AtomicReference<Throwable> error = new AtomicReference<>();

  /** Open once a request failed the loop: backoff waits end early, no more work starts. */
  private final CountDownLatch stopping = new CountDownLatch(1);

  /**
   * @param session the id written on every line of this call
   */
  RequestLoop(
      GeneratorProfile gen,
      ChatClient client,
      EndpointPool pool,
      GenerationSettings settings,
      GenerationCache cache,
      Progress bar,
      String session) {
    this.gen = gen;
    this.client = client;
    this.pool = pool;
    this.settings = settings;
    this.cache = cache;
    this.bar = bar;
    this.session = session;
    this.permits = new Semaphore(settings.concurrency());
  }

  /** Sends every pair's requests and caches its line; throws the first error any of them met. */
  void all(List<QueryPositivePair> todo) {
    Arrivals arrivals =
        new Arrivals(settings.requestRate(), settings.burstiness(), settings.seed());
    long next = System.nanoTime();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      int i = 0;
      for (QueryPositivePair pair : todo) {
        if (error.get() != null) {
          break;
        }
        next += (long) (arrivals.nextGapSeconds() * 1e9);
        sleepNanos(next - System.nanoTime());
        permits.acquireUninterruptibly();
        if (error.get() != null) {
          permits.release();
          break;
        }
        long jitterSeed = settings.seed() * 31 + i++;
        workers.submit(
            () -> {
              try {
                cache.append(process(pair, new SplittableRandom(jitterSeed)));
                bar.advance();
              } catch (Throwable t) {
                if (error.compareAndSet(null, t)) {
                  stopping.countDown();
                }
              }
            });
      }
    }
    Throwable t = error.get();
    if (t instanceof RuntimeException re) {
      throw re;
    } else if (t instanceof Error e) {
      throw e;
    } else if (t != null) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * Holds one permit on entry; releases it before returning. Each attempt goes to the pool's pick;
   * one that failed on its replica (see {@link EndpointPool#replicaFault}) is retried on another
   * replica at once when one is up, else after the backoff. Attempts whose connection was refused
   * never reached a server and do not count against {@code max_attempts}, up to {@code
   * max_attempts} of them (a refused connection marks its replica down, so the next attempt goes
   * elsewhere or waits for one to come back).
   */
  private ObjectNode process(QueryPositivePair pair, SplittableRandom jitter) {
    long started = System.currentTimeMillis();
    boolean holding = true;
    ArrayNode attempts = Json.PLAIN.createArrayNode();
    ChatClient.Attempt answer = null;
    String failure = null;
    try {
      if (pair.positive() == null) {
        failure = "positive " + pair.positiveId() + " is not in the corpus";
      } else {
        byte[] body = client.body(pair.messages());
        String promptText = pair.messages().system() + "\n" + pair.messages().user();
        int avoid = -1;
        int refusals = 0;
        for (int attempt = 1; attempt <= gen.maxAttempts(); attempt++) {
          if (!holding) {
            permits.acquireUninterruptibly();
            holding = true;
          }
          if (stopping.getCount() == 0) {
            throw new Stopped();
          }
          int ep = pool.acquire(avoid);
          ChatClient.Attempt a = null;
          try {
            a = client.send(pool.endpoint(ep), body, promptText);
          } finally {
            pool.release(ep, a);
          }
          ObjectNode rec = GenerationLine.attempt(a);
          attempts.add(rec);
          if (a.ok()) {
            answer = a;
            break;
          }
          failure = a.metrics().status() + ": " + a.error();
          if (ChatClient.CONNECT_ERROR.equals(a.metrics().status())
              && refusals++ < gen.maxAttempts()) {
            attempt--; // never reached a server
          }
          if (!a.retryable() || attempt == gen.maxAttempts()) {
            break;
          }
          boolean replicaFault = EndpointPool.replicaFault(a);
          avoid = replicaFault ? ep : -1;
          if (replicaFault && pool.upBesides(ep)) {
            rec.put("backoff_ms", 0);
            continue; // another replica takes it now; the backoff is for an overloaded server
          }
          long backoff = backoffMs(attempt, a.retryAfterMs(), jitter);
          rec.put("backoff_ms", backoff);
          permits.release(); // a request waiting out its backoff does not hold a slot
          holding = false;
          try {
            if (stopping.await(backoff, TimeUnit.MILLISECONDS)) {
              throw new Stopped();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          }
        }
      }
    } finally {
      if (holding) {
        permits.release();
      }
    }
    return GenerationLine.of(gen, session, pair, answer, failure, attempts, started);
  }

  /** Ends a pair's work without a line when the loop is stopping: it is redone on a rerun. */
  private static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("the generation is stopping", null, false, false);
    }
  }

  /**
   * Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"), at least Retry-After.
   */
  private long backoffMs(int attempt, long retryAfterMs, SplittableRandom jitter) {
    long ceiling =
        Math.min(settings.backoffCapMs(), settings.backoffBaseMs() << Math.min(attempt - 1, 30));
    long wait = ceiling <= 0 ? 0 : jitter.nextLong(ceiling + 1);
    return retryAfterMs >= 0 ? Math.max(wait, retryAfterMs) : wait;
  }

  private static void sleepNanos(long nanos) {
    if (nanos <= 0) {
      return;
    }
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
