package dev.negbench.bench;

import dev.negbench.generate.ChatClient;
import dev.negbench.generate.GeneratorProfile;
import dev.negbench.generate.PromptTemplate;
import dev.negbench.generate.SimProfile;
import dev.negbench.generate.Simulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Request throughput of the generation client against negbench's simulator with zero think time, so
 * that what is measured is the client (and the local server), not a model. {@code client} sends
 * streaming chat requests through {@link ChatClient} (SSE parsing, token timing, usage) with {@code
 * concurrency} in flight; {@code bareHttpClient} sends the same request bodies with a plain {@link
 * HttpClient} loop that reads each answer whole: the baseline. The ratio client/bare is the cost of
 * the client's measuring; the target is at least 0.8 at 64 and at 1,000 concurrent requests on 2
 * cores. Client overhead per request is {@code 1/client - 1/bare} (seconds per request).
 *
 * <p>{@code realEndpoint} measures a real server instead: {@code -p endpoint=http://host:8000/v1 -p
 * model=NAME}; without an endpoint it returns at once and its score means nothing.
 */
// Requests per second is the figure a serving benchmark reports.
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// Connections, JIT and the server's threads settle within a few seconds.
@Warmup(iterations = 3, time = 3)
// Each operation is a batch of requests; 5 x 3 s collects thousands of them.
@Measurement(iterations = 5, time = 3)
// Fixed, pre-touched heap; client and simulator share the fork, as in the tests.
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g", "-Xms2g", "-XX:+AlwaysPreTouch"})
// One simulator and one client for all invocations; they are thread-safe.
@State(Scope.Benchmark)
public class GenerationBenchmark {
  /**
   * Requests per operation: each invocation sends this many and waits for all. Four per request
   * slot at the largest concurrency, so that each invocation's ramp-up and drain are a small part
   * of it.
   */
  static final int BATCH = 4096;

  /** Requests in flight at once. */
  @Param({"1", "16", "64", "1000"})
  public int concurrency;

  /** A real OpenAI-compatible endpoint for {@code realEndpoint}; empty skips it. */
  @Param({""})
  public String endpoint;

  /** The model the real endpoint serves. */
  @Param({"Qwen/Qwen3-8B"})
  public String model;

  private Simulator sim;
  private URI base;
  private HttpClient clientHttp;
  private ChatClient client;
  private HttpClient bareHttp;
  private HttpRequest bareRequest;
  private byte[] body;
  private ExecutorService workers;
  private ChatClient realClient;
  private byte[] realBody;

  @Setup(Level.Trial)
  public void start() throws Exception {
    sim = Simulator.start(SimProfile.instant());
    base = sim.baseUrl();
    GeneratorProfile profile = GeneratorProfile.forModel("bench/model").withNumNegatives(2);
    PromptTemplate.Messages messages =
        PromptTemplate.defaultTemplate()
            .render(
                "what limits zinc uptake in roots",
                "Zinc uptake in roots is limited by soil pH and by competition with copper ions.",
                2);
    clientHttp = ChatClient.newHttpClient(concurrency);
    client = new ChatClient(profile, clientHttp, null);
    body = client.body(messages);
    bareHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    bareRequest =
        HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    workers = Executors.newVirtualThreadPerTaskExecutor();
    // Check both kernels' answers once before measuring: a fast wrong kernel must fail.
    ChatClient.Attempt a = client.send(base, body, "");
    if (!a.ok()
        || !a.model().startsWith(Simulator.MODEL_PREFIX)
        || a.metrics().completionTokens() < 10
        || a.content().isEmpty()) {
      throw new IllegalStateException("the client got no proper answer: " + a.error());
    }
    String bare = bareHttp.send(bareRequest, HttpResponse.BodyHandlers.ofString()).body();
    if (!bare.contains(a.content().substring(0, 20).replace("\"", "\\\""))
        && !bare.contains("[DONE]")) {
      throw new IllegalStateException("the bare loop got no proper answer: " + bare);
    }
    if (!endpoint.isEmpty()) {
      GeneratorProfile real = GeneratorProfile.forModel(model).withNumNegatives(2);
      realClient = new ChatClient(real, clientHttp, null);
      realBody = realClient.body(messages);
    } else {
      System.err.println(
          "GenerationBenchmark.realEndpoint: no -p endpoint=URL given; skipped (returns at once)");
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    workers.close();
    clientHttp.close();
    bareHttp.close();
    sim.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int client() throws Exception {
    return batch(() -> client.send(base, body, "").ok());
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int bareHttpClient() throws Exception {
    return batch(
        () -> {
          HttpResponse<String> r = bareHttp.send(bareRequest, HttpResponse.BodyHandlers.ofString());
          return r.statusCode() == 200 && r.body().endsWith("data: [DONE]\n\n");
        });
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int realEndpoint() throws Exception {
    if (realClient == null) {
      return 0;
    }
    URI url = URI.create(endpoint);
    return batch(() -> realClient.send(url, realBody, "").ok());
  }

  @FunctionalInterface
  interface Request {
    boolean send() throws IOException, InterruptedException;
  }

  /** Sends {@link #BATCH} requests, {@code concurrency} at a time; throws unless all succeed. */
  private int batch(Request request) throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<Future<Integer>> futures = new ArrayList<>(concurrency);
    for (int w = 0; w < concurrency; w++) {
      futures.add(
          workers.submit(
              () -> {
                int ok = 0;
                while (next.getAndIncrement() < BATCH) {
                  if (request.send()) {
                    ok++;
                  }
                }
                return ok;
              }));
    }
    int ok = 0;
    for (Future<Integer> f : futures) {
      ok += f.get();
    }
    if (ok != BATCH) {
      throw new IllegalStateException((BATCH - ok) + " of " + BATCH + " requests failed");
    }
    return ok;
  }
}
