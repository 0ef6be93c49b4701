package dev.negbench.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Generates hard negatives for the queries of a split: one chat request per (query, positive) pair
 * ({@link QueryPositivePair}: query and positive in the prompt template; with {@link
 * GenerationSettings.Positives#FIRST} only each query's first positive), retried with exponential
 * backoff and full jitter on 429, 5xx, resets, timeouts, malformed and cut answers, honouring
 * {@code Retry-After} ({@link RequestLoop}), over one or several replicas ({@link EndpointPool}: a
 * replica that fails is marked down and its requests go to the others; with every replica down the
 * call waits, then stops with {@link EndpointsDownException}, its finished pairs cached); the
 * passages validated by {@link NegativeValidator}. Every pair ends as one line ({@link
 * GenerationLine}), {@code accepted}, {@code rejected} or {@code failed}, in the miners' schema
 * ({@link NegativesJsonl}) plus the generation's fields.
 *
 * <p>Finished pairs go to an append-only cache first ({@link GenerationCache}); the output is then
 * written whole from it, in qrels order, with its summary ({@link GenerationOutcome}). A rerun
 * skips every pair whose key is cached.
 */
public final class Generation {
  private Generation() {}

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
    List<QueryPositivePair> pairs =
        QueryPositivePair.of(
            dataset,
            split,
            gen,
            template,
            settings.limit(),
            settings.maxPairs(),
            settings.positives());
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
        Progress bar = progress.start("generate " + gen.name(), pairs.size())) {
      repaired = cache.repairedBytes();
      List<QueryPositivePair> todo = new ArrayList<>();
      for (QueryPositivePair pair : pairs) {
        ObjectNode done = cache.entries().get(pair.key());
        if (done == null
            || (settings.retryFailed() && "failed".equals(done.path("status").asText()))) {
          todo.add(pair);
        }
      }
      fromCache = pairs.size() - todo.size();
      bar.advance(fromCache);
      generatedNow = todo.size();
      HttpClient http = ChatClient.newHttpClient(settings.concurrency());
      ChatClient client = new ChatClient(gen, http, tokens);
      try (EndpointPool pool = new EndpointPool(endpoints, settings.health(), client::probe)) {
        try {
          new RequestLoop(gen, client, pool, settings, cache, bar, session).all(todo);
        } catch (EndpointsDownException e) {
          long done = pairs.stream().filter(p -> cache.entries().containsKey(p.key())).count();
          throw e.withDetail(
              done
                  + " of "
                  + pairs.size()
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
    List<ObjectNode> lines = new ArrayList<>(pairs.size());
    for (QueryPositivePair pair : pairs) {
      ObjectNode line = entries.get(pair.key());
      if (line == null) {
        throw new IllegalStateException(
            "query "
                + pair.query().id()
                + ", positive "
                + pair.positiveId()
                + " has no result: a bug");
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
    GenerationOutcome outcome =
        GenerationOutcome.of(
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
    Json.write(GenerationOutcome.summaryFile(out), outcome.toJson());
    return outcome;
  }
}
