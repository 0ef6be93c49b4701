package dev.negbench.cli;

import dev.negbench.generate.ComparisonRow;
import dev.negbench.generate.Generation;
import dev.negbench.generate.GenerationOutcome;
import dev.negbench.generate.GenerationSettings;
import dev.negbench.generate.GeneratorProfile;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Generate hard negatives with an LLM behind an OpenAI-compatible server (vLLM, Ollama, llama.cpp's server, TGI, or negbench serve-sim).",
      "",
      "For every (query, positive) pair of the split (with --positives first: every query that has a positive, with its first positive), one chat request with the query and the positive in the prompt template asks for N passages on the same topic and in the corpus's style that do not answer the query. Requests run concurrently, optionally paced by Poisson arrivals, and are retried with exponential backoff and full jitter on 429, 5xx, resets, timeouts and malformed or cut answers, honouring Retry-After. Each passage is validated (not empty, not the positive, length within the profile's bounds, not containing the positive's answer sentence).",
      "",
      "Writes FILE as JSONL, one (query, positive) pair a line in the miners' schema ({\"query_id\", \"query\", \"positive_ids\": [the positive], \"positive_id\", \"negatives\": [{\"doc_id\": \"gen:<query>:<positive>:<n>\", \"rank\": 0, \"score\": 0, \"text\"}]}) plus \"status\" (accepted, rejected or failed), \"reason\", \"rejected\" passages with reasons, \"attempts\" with each request's TTFT, TPOT, inter-token latencies, end-to-end latency and tokens. FILE.summary.json holds aggregates (mean/median/p90/p99, throughput, goodput) and the cost row that compare-generators reads.",
      "",
      "Finished pairs are appended to FILE.cache.jsonl as they finish: after a crash, run the same command again and it continues where it stopped (a torn last line is repaired). The API key comes from the environment variable the profile names (default NEGBENCH_API_KEY) and is never printed or written.",
      "",
      "Example: negbench generate --dataset beir:scifact --split train --endpoint http://127.0.0.1:8000/v1 --generator configs/generators/qwen3-8b.json --out work/scifact-qwen3-8b.jsonl --concurrency 32"
    })
final class GenerateCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin DatasetOptions datasetOptions;

  @Option(
      names = "--split",
      paramLabel = "NAME",
      description = "Split whose queries get negatives (default ${DEFAULT-VALUE}).")
  String split = "train";

  @Option(
      names = "--endpoint",
      required = true,
      paramLabel = "URL",
      description =
          "Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1. Repeat for several replicas: each request goes to the replica that is up and has the fewest requests outstanding; a failed request is retried on another replica when one is up. A refused connection marks a replica down at once, --mark-down-after consecutive resets, timeouts or 5xx do too; a down replica gets no requests and is probed (GET /v1/models) after 1 s, then at doubling intervals up to 30 s, until it answers. Cost counts every replica's GPUs.")
  List<URI> endpoints = new ArrayList<>();

  @Option(
      names = "--generator",
      required = true,
      paramLabel = "PROFILE|MODEL",
      description =
          "A generator profile file (configs/generators/*.json: model, sampling, per-model request fields, cost) or a bare model name served by the endpoint, which takes the paper's sampling defaults (temperature 0.6, top_p 0.95, top_k 20, min_p 0, max_tokens 1024).")
  String generator;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Output JSONL (written whole at the end; see FILE.cache.jsonl for progress).")
  Path out;

  @Option(
      names = "--concurrency",
      paramLabel = "C",
      description = "Most requests in flight at once (default ${DEFAULT-VALUE}).")
  int concurrency = GenerationSettings.defaults().concurrency();

  @Option(
      names = "--request-rate",
      paramLabel = "R",
      description =
          "Mean requests per second, arrivals drawn as in vLLM's benchmark_serving (default ${DEFAULT-VALUE}: all at once, paced by --concurrency).")
  double requestRate = Double.POSITIVE_INFINITY;

  @Option(
      names = "--burstiness",
      paramLabel = "B",
      description =
          "Shape of the gamma-distributed gaps between arrivals: 1 is a Poisson process, below 1 burstier, above 1 steadier (default ${DEFAULT-VALUE}).")
  double burstiness = 1.0;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description =
          "Only the first N queries of the split, in qrels order, with all their positives (default ${DEFAULT-VALUE}: all).")
  int limit;

  @Option(
      names = "--max-requests",
      paramLabel = "N",
      description =
          "Only the first N (query, positive) pairs, in qrels order after --limit: at most N"
              + " requests before retries (default ${DEFAULT-VALUE}: all).")
  int maxRequests;

  // 'all' follows the paper (arXiv 2504.21015: one generated negative per (query, positive) pair),
  // so that the generated arm trains on as many pairs as the mined arms; 'first' is the behaviour
  // before it, one request per query.
  @Option(
      names = "--positives",
      paramLabel = "all|first",
      description =
          "Which positives of a query get negatives: all (one request per (query, positive) pair, each line naming its positive_id) or first (one request per query, with its first positive in qrels order) (default ${DEFAULT-VALUE}).")
  String positives = GenerationSettings.defaults().positives().label();

  @Option(
      names = "--num-negatives",
      paramLabel = "N",
      description =
          "Passages asked for per query ({{n}} in the template); default: the profile's (3 for a bare model name).")
  int numNegatives;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Seed of the arrival times and the retry jitter (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--backoff-ms",
      paramLabel = "MS",
      description =
          "Backoff ceiling of the first retry, doubling each attempt up to --backoff-cap-ms; each wait is drawn uniformly below it (full jitter) and is at least the server's Retry-After (default ${DEFAULT-VALUE}).")
  long backoffMs = GenerationSettings.defaults().backoffBaseMs();

  @Option(
      names = "--backoff-cap-ms",
      paramLabel = "MS",
      description = "Largest backoff ceiling (default ${DEFAULT-VALUE}).")
  long backoffCapMs = GenerationSettings.defaults().backoffCapMs();

  @Option(
      names = "--ttft-slo-ms",
      paramLabel = "MS",
      description =
          "TTFT limit a request must meet to count in goodput (default ${DEFAULT-VALUE}).")
  double ttftSloMs = GenerationSettings.defaults().ttftSloMs();

  @Option(
      names = "--tpot-slo-ms",
      paramLabel = "MS",
      description =
          "TPOT limit a request must meet to count in goodput (default ${DEFAULT-VALUE}).")
  double tpotSloMs = GenerationSettings.defaults().tpotSloMs();

  @Option(
      names = "--mark-down-after",
      paramLabel = "N",
      description =
          "Consecutive failed requests (connection reset, timeout, 5xx) that mark a replica down (default ${DEFAULT-VALUE}, as Envoy's outlier detection).")
  int markDownAfter = GenerationSettings.Health.defaults().markDownAfter();

  @Option(
      names = "--down-timeout",
      paramLabel = "SECONDS",
      description =
          "How long requests wait while every endpoint is down; then the run stops with exit code 1, its finished queries kept in the cache for a rerun (default ${DEFAULT-VALUE}: about a vLLM replica's restart).")
  double downTimeoutS = GenerationSettings.Health.defaults().downTimeoutMs() / 1000.0;

  @Option(
      names = "--retry-failed",
      description =
          "Try again the pairs that an earlier run recorded as failed (by default a rerun keeps them as they are).")
  boolean retryFailed;

  @Option(
      names = "--cache",
      paramLabel = "FILE",
      description =
          "The append-only cache of finished pairs (default: FILE.cache.jsonl beside --out).")
  Path cache;

  @Override
  public Integer call() {
    GeneratorProfile profile = GeneratorProfile.resolve(generator);
    GenerationSettings.Health defaults = GenerationSettings.Health.defaults();
    GenerationSettings.Health health =
        new GenerationSettings.Health(
            markDownAfter,
            defaults.probeBaseMs(),
            defaults.probeCapMs(),
            Math.round(downTimeoutS * 1000));
    GenerationSettings settings =
        new GenerationSettings(
            concurrency,
            requestRate,
            burstiness,
            limit,
            maxRequests,
            numNegatives,
            seed,
            backoffMs,
            backoffCapMs,
            retryFailed,
            ttftSloMs,
            tpotSloMs,
            cache,
            GenerationSettings.defaults().syncEveryMs(),
            GenerationSettings.Positives.parse(positives),
            health);
    var opened = datasetOptions.open(split, common);
    datasetOptions.checkReferences(opened, null, common);
    GenerationOutcome s =
        Generation.run(
            opened.dataset(), split, profile, endpoints, settings, out, common.progress());
    ComparisonRow r = s.row();
    // Per endpoint when there are replicas to tell apart, or one was marked down.
    if (s.endpoints().size() > 1 || s.endpoints().stream().anyMatch(e -> e.markedDown() > 0)) {
      s.endpoints().forEach(e -> common.info("endpoint " + e.describe()));
    }
    String gpus =
        r.replicas() > 1
            ? r.replicas() + " replicas x " + r.gpuCount()
            : Integer.toString(r.gpuCount());
    if (s.repairedBytes() > 0) {
      common.info(
          "note: cut a torn last line ("
              + s.repairedBytes()
              + " bytes) from "
              + s.cache()
              + "; that pair was generated again");
    }
    common.info(
        String.format(
            Locale.ROOT,
            "%s%s: %d (query, positive) pairs (%d from cache, %d generated now): %d accepted, %d rejected, %d failed; %d negatives accepted, %d rejected (acceptance %.3f)%n"
                + "requests %d, %.2f req/s, %.1f output tok/s, goodput %.2f req/s; TTFT p50 %.1f ms p99 %.1f ms; TPOT p50 %.2f ms p99 %.2f ms%n"
                + "cost: %.1f GPU-seconds (%s x %s at $%.2f/h) = $%.4f, $%.4f per 1,000 accepted negatives%n"
                + "wrote %s and %s",
            r.generator(),
            r.simulated() ? " (SIMULATED)" : "",
            r.queries(),
            s.fromCache(),
            s.generatedNow(),
            r.accepted(),
            r.rejected(),
            r.failed(),
            r.acceptedNegatives(),
            r.rejectedNegatives(),
            r.acceptanceRate(),
            r.requests(),
            r.requestThroughput(),
            r.outputTokenThroughput(),
            r.goodput(),
            r.ttftP50Ms(),
            r.ttftP99Ms(),
            r.tpotP50Ms(),
            r.tpotP99Ms(),
            r.gpuSeconds(),
            gpus,
            r.gpuType(),
            r.usdPerGpuHour(),
            r.usd(),
            r.usdPer1000AcceptedNegatives(),
            out,
            GenerationOutcome.summaryFile(out)));
    return 0;
  }
}
