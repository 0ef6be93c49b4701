package dev.negbench.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.negbench.io.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run of a config will cost ({@link CostEstimator}), as {@code reproduce --plan} prints it:
 * a table of its stages, one of its generators and the total, or one JSON object.
 */
public record CostEstimate(
    String experiment,
    List<Stage> stages,
    List<Generator> generators,
    double seconds,
    double usd,
    Workers workers) {
  public CostEstimate(String experiment, List<Stage> stages, double seconds, double usd) {
    this(experiment, stages, List.of(), seconds, usd, null);
  }

  public CostEstimate(
      String experiment,
      List<Stage> stages,
      List<Generator> generators,
      double seconds,
      double usd) {
    this(experiment, stages, generators, seconds, usd, null);
  }

  /**
   * The run's wall time on {@code workers} cooperating {@code reproduce} processes ({@link
   * WorkerPlan}), and its critical path, the least wall time however many workers there are.
   */
  public record Workers(int workers, double seconds, double criticalPathSeconds) {}

  /** This estimate with its wall time on some number of workers. */
  public CostEstimate withWorkers(Workers w) {
    return new CostEstimate(experiment, stages, generators, seconds, usd, w);
  }

  /**
   * What one {@code llm} source asks of its servers on one training collection, over all its
   * generations: once shared by the seeds, or once a seed ({@code per_seed}).
   *
   * @param generations how many times the pairs are generated (1, or the seeds)
   * @param replicas servers the requests are spread over, each holding {@code gpusPerReplica}
   * @param gpuHours GPU time, every GPU of every replica counted
   * @param wallSeconds time with the replicas working in parallel
   */
  public record Generator(
      String source,
      String generator,
      String dataset,
      int generations,
      long requests,
      long promptTokens,
      long completionTokens,
      int replicas,
      int gpusPerReplica,
      double gpuHours,
      double wallSeconds,
      double usd,
      boolean measured,
      String basis) {}

  /**
   * One stage's estimate; {@code basis} says where its rate comes from, {@code fromCatalogue} that
   * its items were counted from the BEIR catalogue (the dataset is not downloaded yet).
   */
  public record Stage(
      String stage,
      String dataset,
      String what,
      long items,
      String unit,
      String device,
      double seconds,
      double usd,
      boolean measured,
      String basis,
      boolean fromCatalogue) {
    public Stage(
        String stage,
        String dataset,
        String what,
        long items,
        String unit,
        String device,
        double seconds,
        double usd,
        boolean measured,
        String basis) {
      this(stage, dataset, what, items, unit, device, seconds, usd, measured, basis, false);
    }
  }

  /** One line a stage, under a header, then the total. */
  public String toText() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-9s %-22s %-50s %12s %-9s %-9s %10s %9s  %s%n",
            "stage",
            "dataset",
            "what",
            "items",
            "unit",
            "device",
            "seconds",
            "US$",
            "rate"));
    for (Stage s : stages) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-9s %-22s %-50s %,12d %-9s %-9s %,10.0f %9.2f  %s: %s%s%n",
              s.stage(),
              s.dataset(),
              s.what(),
              s.items(),
              s.unit(),
              s.device(),
              s.seconds(),
              s.usd(),
              s.measured() ? "measured" : "assumed",
              s.basis(),
              s.fromCatalogue() ? "; items from the catalogue" : ""));
    }
    if (!generators.isEmpty()) {
      b.append(generatorsText());
    }
    List<String> catalogued =
        stages.stream().filter(Stage::fromCatalogue).map(Stage::dataset).distinct().toList();
    if (!catalogued.isEmpty()) {
      b.append(
          "items from the catalogue: "
              + String.join(", ", catalogued)
              + " are not downloaded yet and were counted from negbench's BEIR catalogue"
              + " (bin/negbench download --config FILE fetches them)\n");
    }
    b.append(
        String.format(
            Locale.ROOT,
            "total: %,.0f s (%.1f h), US$ %.2f, for %s in a fresh work folder%n",
            seconds,
            seconds / 3600,
            usd,
            experiment));
    if (workers != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "on %d workers (reproduce processes sharing the work and results folders): about"
                  + " %,.0f s (%.1f h) wall; the critical path, the least on any number of"
                  + " workers: %,.0f s (%.1f h)%n",
              workers.workers(),
              workers.seconds(),
              workers.seconds() / 3600,
              workers.criticalPathSeconds(),
              workers.criticalPathSeconds() / 3600));
    }
    return b.toString();
  }

  /** The generators' table: requests, tokens, GPU-hours and US$ of each llm source. */
  private String generatorsText() {
    StringBuilder b = new StringBuilder("\n");
    b.append(
        String.format(
            Locale.ROOT,
            "%-22s %-22s %-16s %14s %16s %16s %-13s %10s %10s %9s%n",
            "generator",
            "dataset",
            "generations",
            "requests",
            "prompt tokens",
            "compl. tokens",
            "replicas",
            "GPU-hours",
            "wall h",
            "US$"));
    for (Generator g : generators) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-22s %-22s %-16s %,14d %,16d %,16d %-13s %,10.1f %,10.1f %9.2f%n",
              g.source(),
              g.dataset(),
              g.generations() == 1 ? "1 (shared)" : g.generations() + " (per seed)",
              g.requests(),
              g.promptTokens(),
              g.completionTokens(),
              g.replicas() + " x " + g.gpusPerReplica() + " GPU",
              g.gpuHours(),
              g.wallSeconds() / 3600,
              g.usd()));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "generators: %,d requests, %,.1f GPU-hours, US$ %.2f; their rates:%n%s%n",
            generators.stream().mapToLong(Generator::requests).sum(),
            generators.stream().mapToDouble(Generator::gpuHours).sum(),
            generators.stream().mapToDouble(Generator::usd).sum(),
            String.join("", rates())));
    return b.toString();
  }

  /** One line a distinct basis of the generators' rates, naming the generators that use it. */
  private List<String> rates() {
    Map<String, List<String>> by = new LinkedHashMap<>();
    for (Generator g : generators) {
      by.computeIfAbsent(
              (g.measured() ? "measured: " : "assumed: ") + g.basis(), k -> new ArrayList<>())
          .add(g.source());
    }
    List<String> out = new ArrayList<>();
    by.forEach(
        (basis, sources) -> out.add("  " + String.join(", ", sources) + ": " + basis + "\n"));
    return out;
  }

  /**
   * {@code experiment}, the {@code stages} and {@code generators} arrays and the {@code total}
   * (seconds, usd).
   */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("experiment", experiment);
    m.put("stages", stages);
    m.put("generators", generators);
    if (workers != null) {
      m.put("workers", workers);
    }
    m.put(
        "total",
        Map.of("seconds", Math.round(seconds * 10) / 10.0, "usd", Math.round(usd * 100) / 100.0));
    try {
      return Json.MAPPER.writeValueAsString(m) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
