package dev.negbench.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Generates hard negatives for the queries of a split: one chat request per (query, positive) pair
 * (query and positive in the prompt template; with {@link GenerationSettings.Positives#FIRST} only
 * each query's first positive), retried with exponential backoff and full jitter on 429, 5xx,
 * resets, timeouts, malformed and cut answers, honouring {@code Retry-After}, over one or several
 * replicas ({@link EndpointPool}: a replica that fails is marked down and its requests go to the
 * others; with every replica down the run waits, then stops with {@link EndpointsDownException},
 * its finished pairs cached); the passages validated by {@link NegativeValidator}. Every pair ends
 * as one line, {@code accepted} (at least one valid passage), {@code rejected} (an answer, but no
 * valid passage; reasons kept) or {@code failed} (no answer after the last attempt), in the miners'
 * schema ({@link NegativesJsonl}, a row for one positive: {@code positive_id}) plus:
 *
 * <pre>
 * "status", "reason", "rejected": [{"doc_id", "text", "reason"}], "attempts": [{request metrics}],
 * "metrics": {the answered request's}, "generator", "model", "simulated", "key", "session",
 * "started_at_ms", "finished_at_ms"</pre>
 *
 * Finished pairs go to an append-only cache first ({@link GenerationCache}); the output is then
 * written whole from it, in qrels order. A rerun skips every pair whose key is cached.
 */
public final class Generation {
  private Generation() {}

  private record Item(
      Query query,
      String positiveId,
      String positive,
      String key,
      PromptTemplate.Messages messages) {}

  /**
   * Runs generation for {@code split} of {@code dataset} and writes {@code out}, {@code
   * OUT.summary.json} and the cache (default {@code OUT.cache.jsonl}).
   */
  public static GenerationOutcome run(
      BeirDataset dataset,
      String split,
      GeneratorProfile profile,
      List<URI> endpoints,
      GenerationSettings settings,
      Path out,
      Progress.Factory progress) {
    GeneratorProfile gen =
        settings.numNegatives() > 0 ? profile.withNumNegatives(settings.numNegatives()) : profile;
    PromptTemplate template = PromptTemplate.of(gen);
    EndpointPool.check(endpoints);
    List<Item> items = items(dataset, split, gen, template, settings.limit(), settings.positives());
    Path cacheFile =
        settings.cacheFile() != null
            ? settings.cacheFile()
            : GenerationOutcome.defaultCacheFile(out);
    String session = UUID.randomUUID().toString();
    int fromCache;
    int generatedNow;
    long repaired;
    Map<String, ObjectNode> entries;
    List<EndpointPool.Stats> endpointStats;
    try (GenerationCache cache = GenerationCache.open(cacheFile, settings.syncEveryMs());
        TokenCounter tokens = TokenCounter.of(gen);
        Progress bar = progress.start("generate " + gen.name(), items.size())) {
      repaired = cache.repairedBytes();
      List<Item> todo = new ArrayList<>();
      for (Item it : items) {
        ObjectNode done = cache.entries().get(it.key());
        if (done == null
            || (settings.retryFailed() && "failed".equals(done.path("status").asText()))) {
          todo.add(it);
        }
      }
      fromCache = items.size() - todo.size();
      bar.advance(fromCache);
      generatedNow = todo.size();
      HttpClient http = ChatClient.newHttpClient(settings.concurrency());
      ChatClient client = new ChatClient(gen, http, tokens);
      try (EndpointPool pool = new EndpointPool(endpoints, settings.health(), client::probe)) {
        try {
          new Run(gen, client, pool, settings, cache, bar, session).all(todo);
        } catch (EndpointsDownException e) {
          long done = items.stream().filter(it -> cache.entries().containsKey(it.key())).count();
          throw e.withDetail(
              done
                  + " of "
                  + items.size()
                  + " queries are done and kept in "
                  + cacheFile
                  + "; run the same command again once an endpoint answers GET /v1/models, and it continues from there");
        }
        endpointStats = pool.stats();
      } finally {
        http.close();
      }
      entries = cache.entries();
    }
    List<ObjectNode> lines = new ArrayList<>(items.size());
    for (Item it : items) {
      ObjectNode line = entries.get(it.key());
      if (line == null) {
        throw new IllegalStateException(
            "query " + it.query().id() + ", positive " + it.positiveId() + " has no result: a bug");
      }
      lines.add(line);
    }
    AtomicFiles.write(
        out,
        w -> {
          for (ObjectNode l : lines) {
            w.write(l.toString());
            w.write('\n');
          }
        });
    GenerationOutcome summary =
        summarize(
            gen,
            dataset,
            split,
            settings,
            lines,
            out,
            cacheFile,
            fromCache,
            generatedNow,
            repaired,
            endpointStats);
    Json.write(GenerationOutcome.summaryFile(out), summary.toJson());
    return summary;
  }

  /**
   * The (query, positive) pairs to generate for: the first {@code limit} queries with a positive,
   * in qrels order.
   */
  private static List<Item> items(
      BeirDataset dataset,
      String split,
      GeneratorProfile gen,
      PromptTemplate template,
      int limit,
      GenerationSettings.Positives which) {
    Qrels qrels = dataset.qrels(split);
    List<Query> queries = new ArrayList<>();
    Map<String, List<String>> positivesOf = new HashMap<>();
    for (Query q : dataset.queries(qrels, dataset.queries())) {
      Set<String> rel = qrels.relevant(q.id());
      if (rel.isEmpty()) {
        continue; // no positive to write negatives against: not a training query
      }
      queries.add(q);
      positivesOf.put(
          q.id(),
          which == GenerationSettings.Positives.FIRST
              ? List.of(rel.iterator().next())
              : List.copyOf(rel));
      if (limit > 0 && queries.size() == limit) {
        break;
      }
    }
    Set<String> needed = new HashSet<>();
    positivesOf.values().forEach(needed::addAll);
    Map<String, String> texts = new HashMap<>();
    dataset.forEachDocument(
        d -> {
          if (needed.contains(d.id())) {
            texts.put(d.id(), d.contents());
          }
        });
    String params = gen.generationParameters().toString();
    List<Item> items = new ArrayList<>();
    for (Query q : queries) {
      for (String pid : positivesOf.get(q.id())) {
        String positive = texts.get(pid);
        PromptTemplate.Messages m =
            template.render(q.text(), positive == null ? "" : positive, gen.numNegatives());
        // Keyed on the pair: two positives with the same text are still two requests.
        String key =
            AtomicFiles.sha256(
                params
                    + "\u0000"
                    + m.system()
                    + "\u0000"
                    + m.user()
                    + "\u0000"
                    + q.id()
                    + "\u0000"
                    + pid);
        items.add(new Item(q, pid, positive, key, m));
      }
    }
    return items;
  }

  /** One run's request loop. */
  private static final class Run {
    private final GeneratorProfile gen;
    private final ChatClient client;
    private final EndpointPool pool;
    private final GenerationSettings settings;
    private final GenerationCache cache;
    private final Progress bar;
    private final String session;
    private final Semaphore permits;
    private final AtomicReference<Throwable> error = new AtomicReference<>();

    /** Open once a request failed the run: backoff waits end early, no more work starts. */
    private final CountDownLatch stopping = new CountDownLatch(1);

    Run(
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

    void all(List<Item> todo) {
      Arrivals arrivals =
          new Arrivals(settings.requestRate(), settings.burstiness(), settings.seed());
      long next = System.nanoTime();
      try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
        int i = 0;
        for (Item item : todo) {
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
                  cache.append(process(item, new SplittableRandom(jitterSeed)));
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
     * Holds one permit on entry; releases it before returning. Each attempt goes to the pool's
     * pick; one that failed on its replica (see {@link EndpointPool#replicaFault}) is retried on
     * another replica at once when one is up, else after the backoff. Attempts whose connection was
     * refused never reached a server and do not count against {@code max_attempts}, up to {@code
     * max_attempts} of them (a refused connection marks its replica down, so the next attempt goes
     * elsewhere or waits for one to come back).
     */
    private ObjectNode process(Item item, SplittableRandom jitter) {
      long started = System.currentTimeMillis();
      boolean holding = true;
      ArrayNode attempts = Json.PLAIN.createArrayNode();
      ChatClient.Attempt answer = null;
      String failure = null;
      try {
        if (item.positive() == null) {
          failure = "positive " + item.positiveId() + " is not in the corpus";
        } else {
          byte[] body = client.body(item.messages());
          String promptText = item.messages().system() + "\n" + item.messages().user();
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
            ObjectNode rec = attemptJson(a);
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
      return line(item, answer, failure, attempts, started);
    }

    /** Ends a query's work without a line when the run is stopping: it is redone on a rerun. */
    private static final class Stopped extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Stopped() {
        super("the run is stopping", null, false, false);
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

    private ObjectNode line(
        Item item, ChatClient.Attempt answer, String failure, ArrayNode attempts, long started) {
      Query q = item.query();
      List<Negative> accepted = new ArrayList<>();
      ArrayNode rejected = Json.PLAIN.createArrayNode();
      String status;
      String reason = null;
      if (answer == null) {
        status = "failed";
        reason = failure;
      } else {
        List<String> passages = CompletionParser.passages(answer.content());
        NegativeValidator validator =
            new NegativeValidator(gen.validation(), q.text(), item.positive());
        int n = 0;
        for (String p : passages) {
          n++;
          String id = "gen:" + q.id() + ":" + item.positiveId() + ":" + n;
          String why = validator.reject(p);
          if (why == null) {
            accepted.add(new Negative(id, 0, 0.0, p));
          } else {
            rejected.addObject().put("doc_id", id).put("text", p).put("reason", why);
          }
        }
        if (!accepted.isEmpty()) {
          status = "accepted";
        } else {
          status = "rejected";
          reason =
              answer.content().isBlank()
                  ? "empty_content"
                  : passages.isEmpty() ? "no_passages_parsed" : "all_passages_rejected";
        }
      }
      ObjectNode line =
          parse(
              NegativesJsonl.toJson(
                  HardNegatives.forPositive(q.id(), q.text(), item.positiveId(), accepted)));
      line.put("status", status);
      if (reason != null) {
        line.put("reason", reason);
      }
      line.set("rejected", rejected);
      line.put("attempt_count", attempts.size());
      line.set("attempts", attempts);
      if (answer != null) {
        line.set("metrics", attempts.get(attempts.size() - 1));
        line.put("finish_reason", answer.finishReason());
      }
      String model = answer == null ? "" : answer.model();
      line.put("generator", gen.name());
      line.put("model", model.isEmpty() ? gen.model() : model);
      line.put("simulated", model.startsWith(Simulator.MODEL_PREFIX));
      line.put("key", item.key());
      line.put("session", session);
      line.put("started_at_ms", started);
      line.put("finished_at_ms", System.currentTimeMillis());
      return line;
    }
  }

  private static ObjectNode attemptJson(ChatClient.Attempt a) {
    RequestMetrics m = a.metrics();
    ObjectNode o = Json.PLAIN.createObjectNode();
    o.put("request_id", m.requestId());
    o.put("endpoint", m.endpoint());
    o.put("status", m.status());
    o.put("http_status", m.httpStatus());
    if (a.error() != null) {
      o.put("error", a.error().length() > 300 ? a.error().substring(0, 300) : a.error());
    }
    if (a.retryAfterMs() >= 0) {
      o.put("retry_after_ms", a.retryAfterMs());
    }
    num(o, "ttft_ms", m.ttftMs());
    num(o, "tpot_ms", m.tpotMs());
    num(o, "e2e_ms", m.e2eMs());
    num(o, "send_ms", m.sendMs());
    if (m.promptTokens() >= 0) {
      o.put("prompt_tokens", m.promptTokens());
    }
    if (m.completionTokens() >= 0) {
      o.put("completion_tokens", m.completionTokens());
    }
    o.put("token_source", m.tokenSource());
    ArrayNode itl = o.putArray("itl_ms");
    for (double d : m.itlMs()) {
      itl.add(Math.round(d * 1000) / 1000.0);
    }
    return o;
  }

  private static void num(ObjectNode o, String k, double v) {
    if (!Double.isNaN(v)) {
      o.put(k, v);
    }
  }

  static GenerationOutcome summarize(
      GeneratorProfile gen,
      BeirDataset dataset,
      String split,
      GenerationSettings settings,
      List<ObjectNode> lines,
      Path out,
      Path cacheFile,
      int fromCache,
      int generatedNow,
      long repaired,
      List<EndpointPool.Stats> endpoints) {
    int accepted = 0;
    int rejected = 0;
    int failed = 0;
    long acceptedNeg = 0;
    long rejectedNeg = 0;
    long requests = 0;
    long okRequests = 0;
    long good = 0;
    long outputTokens = 0;
    boolean simulated = false;
    List<Double> ttft = new ArrayList<>();
    List<Double> tpot = new ArrayList<>();
    List<Double> itl = new ArrayList<>();
    List<Double> e2e = new ArrayList<>();
    Map<String, long[]> sessions = new HashMap<>();
    String model = gen.model();
    for (ObjectNode l : lines) {
      switch (l.path("status").asText()) {
        case "accepted" -> accepted++;
        case "rejected" -> rejected++;
        default -> failed++;
      }
      acceptedNeg += l.path("negatives").size();
      rejectedNeg += l.path("rejected").size();
      if (l.path("simulated").asBoolean()) {
        simulated = true;
        model = l.path("model").asText(model);
      }
      long[] span =
          sessions.computeIfAbsent(
              l.path("session").asText(), s -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
      span[0] = Math.min(span[0], l.path("started_at_ms").asLong());
      span[1] = Math.max(span[1], l.path("finished_at_ms").asLong());
      for (JsonNode a : l.path("attempts")) {
        requests++;
        if (!a.path("status").asText().equals(RequestMetrics.OK)) {
          continue;
        }
        okRequests++;
        double t = a.path("ttft_ms").asDouble(Double.NaN);
        double p = a.path("tpot_ms").asDouble(Double.NaN);
        ttft.add(t);
        tpot.add(p);
        e2e.add(a.path("e2e_ms").asDouble(Double.NaN));
        a.path("itl_ms").forEach(x -> itl.add(x.asDouble()));
        outputTokens += Math.max(0, a.path("completion_tokens").asLong(0));
        if (t <= settings.ttftSloMs() && (Double.isNaN(p) || p <= settings.tpotSloMs())) {
          good++;
        }
      }
    }
    double durationS = 0;
    for (long[] span : sessions.values()) {
      durationS += Math.max(0, span[1] - span[0]) / 1000.0;
    }
    double perS = durationS > 0 ? 1 / durationS : Double.NaN;
    Stats ttftS = Stats.of(ttft);
    Stats tpotS = Stats.of(tpot);
    Stats itlS = Stats.of(itl);
    Stats e2eS = Stats.of(e2e);
    GeneratorProfile.Cost cost = gen.cost();
    // Every replica holds its GPUs for the whole run, serving or not.
    int replicas = endpoints.size();
    double gpuSeconds = durationS * cost.gpuCount() * replicas;
    double usd = gpuSeconds / 3600 * cost.usdPerGpuHour();
    ComparisonRow row =
        new ComparisonRow(
            gen.name(),
            model,
            gen.paramsBillions(),
            simulated,
            dataset.name(),
            split,
            lines.size(),
            accepted,
            rejected,
            failed,
            acceptedNeg,
            rejectedNeg,
            acceptedNeg + rejectedNeg == 0
                ? Double.NaN
                : (double) acceptedNeg / (acceptedNeg + rejectedNeg),
            requests,
            durationS,
            okRequests * perS,
            outputTokens * perS,
            good * perS,
            ttftS.median(),
            ttftS.p90(),
            ttftS.p99(),
            tpotS.median(),
            tpotS.p90(),
            tpotS.p99(),
            itlS.median(),
            e2eS.median(),
            e2eS.p99(),
            cost.gpuType(),
            cost.gpuCount(),
            replicas,
            cost.usdPerGpuHour(),
            gpuSeconds,
            usd,
            acceptedNeg == 0 ? Double.NaN : usd * 1000 / acceptedNeg);
    return new GenerationOutcome(
        row,
        ttftS,
        tpotS,
        itlS,
        e2eS,
        out,
        cacheFile,
        fromCache,
        generatedNow,
        repaired,
        endpoints);
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) Json.PLAIN.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
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
