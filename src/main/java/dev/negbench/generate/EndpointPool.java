package dev.negbench.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.Json;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Several replicas of one server (e.g. vLLM instances) behind a least-outstanding-requests balancer
 * with a circuit breaker per replica. Each request goes to the replica that is up and has the
 * fewest requests outstanding, ties broken round-robin. A refused connection marks a replica down
 * at once (nothing listens there); connection resets, timeouts and 5xx answers count against it,
 * and {@link GenerationSettings.Health#markDownAfter} of them in a row mark it down; any other
 * answer (200, 429, 4xx, a malformed body) shows it alive and clears the count. A down replica gets
 * no requests; it is probed ({@code GET /v1/models}) after {@link
 * GenerationSettings.Health#probeBaseMs}, then at doubling intervals, and is up again once a probe
 * answers. Without a replica fault to avoid, the least-outstanding rule alone sent every request to
 * a dead replica: refusing at once, it always had the fewest outstanding.
 *
 * <p>While every replica is down, {@link #acquire} waits; after {@link
 * GenerationSettings.Health#downTimeoutMs} of that it throws {@link EndpointsDownException}, to
 * every waiting caller and every later one.
 */
public final class EndpointPool implements AutoCloseable {
  /**
   * What one replica did in this generation: requests sent and answered, failed ones by kind
   * ({@link #kind}), how often and how long it was marked down, and whether it was up at the end.
   */
  public record Stats(
      URI endpoint,
      long requests,
      long ok,
      Map<String, Long> errors,
      int markedDown,
      double downSeconds,
      boolean up) {
    public ObjectNode toJson() {
      ObjectNode o = Json.PLAIN.createObjectNode();
      o.put("endpoint", endpoint.toString());
      o.put("requests", requests);
      o.put("ok", ok);
      ObjectNode e = o.putObject("errors");
      errors.forEach(e::put);
      o.put("marked_down", markedDown);
      o.put("down_s", Math.round(downSeconds * 1000) / 1000.0);
      o.put("up_at_end", up);
      return o;
    }

    /**
     * One line for a console summary: {@code URL: 80 requests, 72 ok, errors http_500 4, io_error
     * 4; down 1x, 2.0 s}.
     */
    public String describe() {
      StringBuilder s =
          new StringBuilder(
              String.format(Locale.ROOT, "%s: %d requests, %d ok", endpoint, requests, ok));
      if (!errors.isEmpty()) {
        s.append(", errors");
        String sep = " ";
        for (var e : errors.entrySet()) {
          s.append(sep).append(e.getKey()).append(' ').append(e.getValue());
          sep = ", ";
        }
      }
      s.append(
          String.format(
              Locale.ROOT,
              "; marked down %d time%s, %.1f s down",
              markedDown,
              markedDown == 1 ? "" : "s",
              downSeconds));
      if (!up) {
        s.append(", down at the end");
      }
      return s.toString();
    }
  }

  private static final class Replica {
    final URI url;
    int outstanding;
    boolean up = true;
    int consecutiveFailures;
    long downSince;
    long downNanos;
    int markedDown;
    long requests;
    long ok;
    final Map<String, Long> errors = new TreeMap<>();
    Thread prober;

    Replica(URI url) {
      this.url = url;
    }

    double downSeconds(long now) {
      return (downNanos + (up ? 0 : now - downSince)) / 1e9;
    }
  }

  private final List<Replica> replicas = new ArrayList<>();
  private final GenerationSettings.Health health;
  private final Predicate<URI> probe;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private int next;
  private long allDownSince;
  private EndpointsDownException gaveUp;
  private boolean closed;

  /**
   * A pool for balancing alone: default health settings, and no probe, so a replica marked down
   * stays down.
   */
  public EndpointPool(List<URI> endpoints) {
    this(endpoints, GenerationSettings.Health.defaults(), url -> false);
  }

  /**
   * @param probe whether a down replica answers now (e.g. {@link ChatClient#probe}); called on a
   *     virtual thread of its own, never under the pool's lock
   */
  public EndpointPool(List<URI> endpoints, GenerationSettings.Health health, Predicate<URI> probe) {
    for (URI u : check(endpoints)) {
      replicas.add(new Replica(u));
    }
    this.health = health;
    this.probe = probe;
  }

  /**
   * The endpoints, when there is at least one and each is an http(s) URL; else the error names the
   * bad one.
   */
  public static List<URI> check(List<URI> endpoints) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one --endpoint is required");
    }
    for (URI u : endpoints) {
      if (u.getScheme() == null
          || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
          || u.getHost() == null) {
        throw new IllegalArgumentException(
            "--endpoint " + u + ": expected an http(s) URL such as http://127.0.0.1:8000/v1");
      }
    }
    return endpoints;
  }

  /** Picks an endpoint and counts the request against it; pair with {@link #release}. */
  public int acquire() {
    return acquire(-1);
  }

  /**
   * Picks the up endpoint with the fewest requests outstanding, other than {@code avoid} (the one a
   * request just failed on) when another is up, and counts the request against it; waits while
   * every endpoint is down. Pair with {@link #release}.
   *
   * @throws EndpointsDownException when every endpoint has been down for the down timeout
   */
  public int acquire(int avoid) {
    lock.lock();
    try {
      while (true) {
        if (gaveUp != null) {
          throw gaveUp;
        }
        int best = pick(avoid);
        if (best >= 0) {
          replicas.get(best).outstanding++;
          return best;
        }
        long left =
            allDownSince
                + TimeUnit.MILLISECONDS.toNanos(health.downTimeoutMs())
                - System.nanoTime();
        if (left <= 0) {
          gaveUp = new EndpointsDownException(this, health.downTimeoutMs());
          changed.signalAll();
          throw gaveUp;
        }
        try {
          changed.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while every endpoint was down", e);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private int pick(int avoid) {
    int n = replicas.size();
    int offset = Math.floorMod(next++, n);
    int best = -1;
    for (int k = 0; k < n; k++) {
      int i = (offset + k) % n;
      Replica r = replicas.get(i);
      if (r.up && i != avoid && (best < 0 || r.outstanding < replicas.get(best).outstanding)) {
        best = i;
      }
    }
    return best < 0 && avoid >= 0 && avoid < n && replicas.get(avoid).up ? avoid : best;
  }

  /** Ends a request that produced no outcome to judge the replica by. */
  public void release(int index) {
    release(index, null);
  }

  /** Ends a request and judges the replica by its outcome (null: none). */
  public void release(int index, ChatClient.Attempt outcome) {
    lock.lock();
    try {
      Replica r = replicas.get(index);
      r.outstanding--;
      if (outcome == null) {
        return;
      }
      r.requests++;
      if (outcome.ok()) {
        r.ok++;
      } else {
        r.errors.merge(kind(outcome), 1L, Long::sum);
      }
      if (!replicaFault(outcome)) {
        r.consecutiveFailures = 0;
        return;
      }
      r.consecutiveFailures++;
      boolean refused = ChatClient.CONNECT_ERROR.equals(outcome.metrics().status());
      if (r.up && (refused || r.consecutiveFailures >= health.markDownAfter())) {
        markDown(index);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock. */
  private void markDown(int index) {
    Replica r = replicas.get(index);
    long now = System.nanoTime();
    r.up = false;
    r.downSince = now;
    r.markedDown++;
    if (replicas.stream().noneMatch(x -> x.up)) {
      allDownSince = now;
    }
    if (!closed) {
      r.prober =
          Thread.ofVirtual().name("negbench-probe-" + index).start(() -> probeUntilUp(index));
    }
  }

  private void probeUntilUp(int index) {
    Replica r = replicas.get(index);
    long delay = health.probeBaseMs();
    while (true) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        return; // the pool was closed
      }
      boolean answered;
      try {
        answered = probe.test(r.url);
      } catch (RuntimeException e) {
        answered = false;
      }
      if (answered) {
        lock.lock();
        try {
          if (!closed && !r.up) {
            r.up = true;
            r.consecutiveFailures = 0;
            r.downNanos += System.nanoTime() - r.downSince;
            changed.signalAll();
          }
          return;
        } finally {
          lock.unlock();
        }
      }
      delay = Math.min(health.probeCapMs(), delay * 2);
    }
  }

  /** Whether an endpoint other than {@code index} is up now. */
  public boolean upBesides(int index) {
    lock.lock();
    try {
      for (int i = 0; i < replicas.size(); i++) {
        if (i != index && replicas.get(i).up) {
          return true;
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether a failed request counts against its replica: no connection, a reset or cut connection,
   * a timeout, or a 5xx answer. A 429, a 4xx, or a malformed or truncated answer came from a live
   * server.
   */
  public static boolean replicaFault(ChatClient.Attempt a) {
    if (a.ok()) {
      return false;
    }
    String s = a.metrics().status();
    return s.equals(ChatClient.CONNECT_ERROR)
        || s.equals(ChatClient.IO_ERROR)
        || s.equals(ChatClient.TIMEOUT)
        || a.metrics().httpStatus() >= 500;
  }

  /** A failed request's kind: its status, or {@code http_CODE} for an HTTP error answer. */
  public static String kind(ChatClient.Attempt a) {
    String s = a.metrics().status();
    int code = a.metrics().httpStatus();
    boolean http = s.equals(ChatClient.HTTP_RETRYABLE) || s.equals(ChatClient.HTTP_CLIENT_ERROR);
    return http && code > 0 && code != 200 ? "http_" + code : s;
  }

  public URI endpoint(int index) {
    return replicas.get(index).url;
  }

  public int outstanding(int index) {
    lock.lock();
    try {
      return replicas.get(index).outstanding;
    } finally {
      lock.unlock();
    }
  }

  public List<URI> endpoints() {
    return replicas.stream().map(r -> r.url).toList();
  }

  /** Each endpoint's requests, errors and down time so far, in the order given. */
  public List<Stats> stats() {
    lock.lock();
    try {
      long now = System.nanoTime();
      List<Stats> out = new ArrayList<>();
      for (Replica r : replicas) {
        out.add(
            new Stats(
                r.url,
                r.requests,
                r.ok,
                Collections.unmodifiableMap(new TreeMap<>(r.errors)),
                r.markedDown,
                r.downSeconds(now),
                r.up));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** Stops the probes; a replica still down stays down. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      for (Replica r : replicas) {
        if (r.prober != null) {
          r.prober.interrupt();
        }
      }
    } finally {
      lock.unlock();
    }
  }
}
