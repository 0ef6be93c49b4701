package dev.negbench.report;

import dev.negbench.results.GenerationSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The generator table's rows: each LLM source's generation summed over its distinct generations
 * (seeds that share one carry equal summaries: it is counted once), beside the nDCG@10 of the
 * retriever trained on its negatives and its sd over seeds.
 */
final class GeneratorRows {
  private GeneratorRows() {}

  /** One row per source folder with a {@code generation.json}, in folder order. */
  static List<Report.GeneratorRow> of(List<SourceFolder> folders, SourceScores scores) {
    List<Report.GeneratorRow> out = new ArrayList<>();
    for (SourceFolder f : folders) {
      List<GenerationSummary> g =
          f.seeds().stream().map(SourceFolder.Seed::generation).filter(Objects::nonNull).toList();
      if (!g.isEmpty()) {
        List<GenerationSummary> distinct = g.stream().distinct().toList();
        out.add(
            new Report.GeneratorRow(
                f.experiment(),
                f.dataset(),
                f.source(),
                sum(distinct),
                scores.ndcg10(f.experiment(), f.dataset(), f.source()),
                distinct.size(),
                g.size(),
                scores.ndcg10Sd(f.experiment(), f.dataset(), f.source())));
      }
    }
    return out;
  }

  /**
   * The seeds' generation as one: counts and seconds summed, latency percentiles averaged, the
   * generator, model and price from the first seed.
   */
  static GenerationSummary sum(List<GenerationSummary> g) {
    GenerationSummary f = g.get(0);
    long queries = 0, negatives = 0, requests = 0, prompt = 0, completion = 0;
    double seconds = 0, p50 = 0, p90 = 0, p99 = 0;
    for (GenerationSummary s : g) {
      queries += s.queries();
      negatives += s.negatives();
      requests += s.requests();
      prompt += s.promptTokens();
      completion += s.completionTokens();
      seconds += s.seconds();
      p50 += s.latencyP50Ms() / g.size();
      p90 += s.latencyP90Ms() / g.size();
      p99 += s.latencyP99Ms() / g.size();
    }
    return new GenerationSummary(
        f.generator(),
        f.model(),
        f.parametersB(),
        f.device(),
        f.gpu(),
        f.gpuHourUsd(),
        f.simulated(),
        queries,
        negatives,
        requests,
        prompt,
        completion,
        seconds,
        p50,
        p90,
        p99,
        f.gpuCount());
  }
}
