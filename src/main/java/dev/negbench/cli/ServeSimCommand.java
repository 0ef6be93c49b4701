package dev.negbench.cli;

import dev.negbench.generate.SimProfile;
import dev.negbench.generate.Simulator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve-sim",
    mixinStandardHelpOptions = true,
    description = {
      "Run negbench's OpenAI-compatible LLM simulator until Ctrl-C, for trying generate without a GPU.",
      "",
      "Serves POST /v1/chat/completions (streaming SSE and not) and GET /v1/models. Answers are built deterministically from the prompt (the positive passage with its key terms swapped for other words) and name the model \"sim:<requested model>\", so everything made from them is labelled simulated. The profile sets the timings (TTFT and per-token time, growing with prompt length and load), the faults to inject (429 with Retry-After, 500, slow answers, cut streams, malformed JSON, empty content, copied positives) and quirks of real servers (no usage, no [DONE], CRLF line ends). The timings really applied can be logged per request.",
      "",
      "Example: negbench serve-sim --port 8000 --profile configs/generators/sim/qwen3-8b.json"
    })
final class ServeSimCommand implements Callable<Integer> {
  @Option(
      names = "--profile",
      paramLabel = "FILE",
      description =
          "Simulator profile (configs/generators/sim/*.json); default: zero think time, no faults.")
  Path profile;

  @Option(
      names = "--port",
      paramLabel = "P",
      description = "Port to listen on; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int port = 8000;

  @Option(
      names = "--host",
      paramLabel = "ADDR",
      description =
          "Address to bind (default ${DEFAULT-VALUE}: this machine only). 0.0.0.0 serves every interface.")
  String host = "127.0.0.1";

  @Option(
      names = "--timings-log",
      paramLabel = "FILE",
      description =
          "Append the applied timings of every request (JSONL, keyed by the X-Request-Id header) here; overrides the profile's timings_log.")
  Path timingsLog;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description =
          "Seed of the injected faults instead of the profile's: give each of several replicas its own, or they all meet the same fault on the same prompt.")
  Long seed;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be in 0..65535, was " + port);
    }
    SimProfile p = profile == null ? SimProfile.instant() : SimProfile.load(profile);
    if (timingsLog != null) {
      p = p.withTimingsLog(timingsLog);
    }
    if (seed != null) {
      p = p.withSeed(seed);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Simulator sim = Simulator.start(p, host, port);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sim.close();
                  stopped.countDown();
                }));
    System.out.println(sim.baseUrl());
    System.out.flush();
    System.err.println(
        "negbench serve-sim: profile "
            + p.name()
            + " listening on "
            + sim.baseUrl()
            + " (SIMULATED answers); Ctrl-C stops");
    stopped.await();
    return 0;
  }
}
