package dev.negbench.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.negbench.io.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run of a config will cost ({@link CostEstimator}), as {@code reproduce --plan} prints it:
 * a table of its stages and the total, or one JSON object.
 */
public record CostEstimate(String experiment, List<Stage> stages, double seconds, double usd) {
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
    return b.toString();
  }

  /** {@code experiment}, the {@code stages} array and the {@code total} (seconds, usd). */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("experiment", experiment);
    m.put("stages", stages);
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
