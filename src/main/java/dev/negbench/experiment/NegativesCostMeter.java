package dev.negbench.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.experiment.sources.Source;
import dev.negbench.io.Json;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.NegativesCost;
import dev.negbench.results.ResultsStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What making a source's negatives cost ({@link NegativesCost}, the stage's {@value
 * ResultsStore#COST}), and the config's prices. While a negatives stage runs, the shared inputs it
 * uses (BM25 index, corpus embeddings, a trained cross-encoder) are charged to it, each once with
 * what it cost to build; the seconds the stage spent building them are taken off its own part.
 */
final class NegativesCostMeter {
  /** The shared inputs a running negatives stage used, and the seconds it spent building them. */
  private static final class Charges {
    final Map<String, NegativesCost.Part> shared = new LinkedHashMap<>();
    double nestedSeconds;
  }

  private final ExperimentConfig config;
  private final UnaryOperator<String> modelRef;

  /** Set while a negatives stage runs. */
  private Charges running;

  /**
   * {@code modelRef} resolves a source's model argument, for the device its model runs on (as
   * {@link Source#modelUse}).
   */
  NegativesCostMeter(ExperimentConfig config, UnaryOperator<String> modelRef) {
    this.config = config;
    this.modelRef = modelRef;
  }

  /**
   * Runs {@code make}, which writes a source's negatives into {@code out}, and writes their cost
   * beside them. {@code inputDirs} holds the stage folder of each of the source's {@link
   * Source#inputs} (a mix's parts), whose costs become parts of this one.
   */
  void meter(Source source, Path out, Map<String, Path> inputDirs, StageCache.Body make)
      throws IOException {
    Charges outer = running;
    running = new Charges();
    try {
      long start = System.nanoTime();
      make.run(out);
      double wall = (System.nanoTime() - start) / 1e9;
      if (!Files.isRegularFile(out.resolve(Source.NEGATIVES))) {
        throw new IllegalStateException(
            "source " + source.name() + " wrote no " + Source.NEGATIVES);
      }
      cost(source, out, wall, running, inputDirs).write(out.resolve(ResultsStore.COST));
    } finally {
      running = outer;
    }
  }

  /**
   * Charges the running negatives stage, if any, with a shared input, counted once under {@code
   * key}; {@code secondsNow} of its build time were spent inside the stage.
   */
  void charge(String key, Supplier<NegativesCost.Part> part, double secondsNow) {
    if (running != null) {
      running.nestedSeconds += secondsNow;
      running.shared.computeIfAbsent(key, k -> part.get());
    }
  }

  /**
   * What making a source's negatives cost: its own part (the stage's wall time less the shared
   * inputs it built, on its device; for generated negatives the generation's time on its GPUs), the
   * shared inputs it used with what each cost to build, and for a mix the costs of its parts.
   */
  private NegativesCost cost(
      Source source, Path out, double wall, Charges m, Map<String, Path> inputDirs)
      throws IOException {
    List<NegativesCost.Part> parts = new ArrayList<>();
    Path generation = out.resolve(Source.GENERATION);
    if (Files.isRegularFile(generation)) {
      GenerationSummary g = priced(GenerationSummary.read(generation), source);
      String device =
          (g.gpu() == null ? nonNull(g.device(), "gpu") : g.gpus() + "x " + g.gpu())
              + (g.simulated() ? " (simulated)" : "");
      parts.add(NegativesCost.Part.generation(g, device));
    } else {
      String device =
          source.modelUse(config.device(), modelRef).map(Source.ModelUse::device).orElse("cpu");
      Map<String, Long> work = new TreeMap<>();
      Path summary = out.resolve(Source.SUMMARY);
      if (Files.isRegularFile(summary)) {
        JsonNode node = Json.read(summary, JsonNode.class);
        if (node.has("queries")) {
          work.put(NegativesCost.QUERIES_SEARCHED, node.get("queries").asLong());
        }
        node.path("work").properties().forEach(e -> work.put(e.getKey(), e.getValue().asLong()));
      }
      parts.add(
          new NegativesCost.Part(
              source.inputs().isEmpty() ? "mine (" + source.type() + ")" : "mix",
              Math.max(0, wall - m.nestedSeconds),
              device,
              price(device, source),
              1,
              work));
    }
    parts.addAll(m.shared.values());
    for (String input : source.inputs()) {
      Path partCost = inputDirs.get(input).resolve(ResultsStore.COST);
      if (Files.isRegularFile(partCost)) {
        for (NegativesCost.Part part : NegativesCost.read(partCost).parts()) {
          parts.add(
              new NegativesCost.Part(
                  input + ": " + part.what(),
                  part.seconds(),
                  part.device(),
                  part.usdPerHour(),
                  part.units(),
                  part.work()));
        }
      }
    }
    long negatives = 0;
    for (HardNegatives h : NegativesJsonl.read(out.resolve(Source.NEGATIVES))) {
      negatives += h.negatives().size();
    }
    return new NegativesCost(
        source.name(),
        source.type(),
        negatives,
        parts,
        "wall time of the negatives stage (generation: the generation's own time), plus the build time of the BM25 index, corpus"
            + " embeddings and trained cross-encoder it used, measured when each was built");
  }

  /**
   * US dollars per hour of {@code device}: the config's CPU price, or the source's GPU's price
   * (null when unknown).
   */
  private Double price(String device, Source source) {
    if (device.equals("cpu")) {
      return config.cpuHourUsd();
    }
    return source.gpu() == null ? null : config.gpuPrices().get(source.gpu());
  }

  /** The config's price of a CPU hour on the CPU; null (no price known) on any other device. */
  Double cpuPrice(String device) {
    return device.equals("cpu") ? config.cpuHourUsd() : null;
  }

  /**
   * The summary with the source's GPU and the config's price for it, where the generator left them
   * out.
   */
  GenerationSummary priced(GenerationSummary g, Source source) {
    String gpu = g.gpu() != null ? g.gpu() : source.gpu();
    Double price =
        g.gpuHourUsd() != null ? g.gpuHourUsd() : gpu == null ? null : config.gpuPrices().get(gpu);
    return g.withPrice(gpu, price);
  }

  private static String nonNull(String s, String otherwise) {
    return s == null ? otherwise : s;
  }
}
