package dev.negbench.experiment.sources;

import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.NegativesJsonl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code mix}: per query (or per (query, positive) pair, when a part's rows are per pair), {@code
 * count} negatives from each of two or more other sources of the config, e.g. one BM25 and one
 * generated negative.
 */
@JsonTypeName("mix")
public record MixSource(String name, List<Part> parts) implements Source {
  /**
   * One share of a mix: {@code count} negatives per query taken from the source named {@code from}.
   */
  public record Part(String from, Integer count) {}

  @Override
  public MixSource withName(String name) {
    return new MixSource(name, parts);
  }

  @Override
  public int negativesPerQuery() {
    return parts.stream().mapToInt(Part::count).sum();
  }

  @Override
  public List<String> inputs() {
    return parts.stream().map(Part::from).toList();
  }

  @Override
  public void check(SourceCheck check) {
    if (parts == null || parts.size() < 2) {
      throw check.error(
          "parts",
          "a mix needs two or more parts, e.g. [{from: bm25, count: 1}, {from: llm, count: 1}]");
    }
    Set<String> froms = new LinkedHashSet<>();
    for (int j = 0; j < parts.size(); j++) {
      Part part = parts.get(j);
      if (part == null || part.count() == null || part.count() < 1) {
        throw check.error(
            "parts/" + j + "/count", "expected a count of at least 1 negative per query");
      }
      if (part.from() == null || !froms.add(part.from())) {
        throw check.error(
            "parts/" + j + "/from",
            "expected a distinct source name, was " + SourceCheck.quote(part.from()));
      }
    }
  }

  /**
   * Parts must name sources of the config that are not mixes; checked once every source is known.
   */
  public void checkParts(SourceCheck check, Set<String> sourceNames) {
    for (int j = 0; j < parts.size(); j++) {
      Source from = check.source(parts.get(j).from());
      if (from == null || !from.inputs().isEmpty()) {
        throw check.error(
            "parts/" + j + "/from",
            "expected the name of a non-mix source of this config, was "
                + SourceCheck.quote(parts.get(j).from())
                + "; sources: "
                + new TreeSet<>(sourceNames));
      }
    }
  }

  /**
   * Per query, the first {@code count} negatives of each part in part order, a document taken once;
   * queries in the order of the first part, then any only later parts have. When a part has rows
   * per (query, positive) pair (generated negatives), the mix is per pair instead: a part's row for
   * a whole query (mined negatives) gives its first {@code count} to each of the query's positives,
   * a part's row for one pair to that pair alone, and each pair is one row.
   */
  @Override
  public void make(SourceContext context, long seed, Path out) {
    List<List<HardNegatives>> read = new ArrayList<>();
    for (Part part : parts) {
      read.add(NegativesJsonl.read(context.negatives(part.from(), seed)));
    }
    boolean perPositive = read.stream().flatMap(List::stream).anyMatch(HardNegatives::perPositive);
    Map<Pair, HardNegatives> first = new LinkedHashMap<>();
    Map<Pair, List<Negative>> picked = new LinkedHashMap<>();
    Map<Pair, Set<String>> seen = new HashMap<>();
    for (int j = 0; j < parts.size(); j++) {
      int count = parts.get(j).count();
      for (HardNegatives h : read.get(j)) {
        for (Pair pair : Pair.of(h, perPositive)) {
          first.putIfAbsent(pair, h);
          List<Negative> list = picked.computeIfAbsent(pair, k -> new ArrayList<>());
          Set<String> ids = seen.computeIfAbsent(pair, k -> new HashSet<>());
          int taken = 0;
          for (Negative n : h.negatives()) {
            if (taken == count) {
              break;
            }
            if (ids.add(n.docId())) {
              list.add(new Negative(n.docId(), list.size() + 1, n.score(), n.text()));
              taken++;
            }
          }
        }
      }
    }
    List<HardNegatives> rows = new ArrayList<>();
    first.forEach(
        (pair, h) ->
            rows.add(
                pair.positiveId() == null
                    ? new HardNegatives(
                        pair.queryId(), h.query(), h.positiveIds(), picked.get(pair))
                    : HardNegatives.forPositive(
                        pair.queryId(), h.query(), pair.positiveId(), picked.get(pair))));
    NegativesJsonl.write(out.resolve(NEGATIVES), rows);
  }

  /** What a mixed row is for: a query ({@code positiveId} null), or one (query, positive) pair. */
  private record Pair(String queryId, String positiveId) {
    /** The mixed rows {@code h} contributes to: its query, or per pair each of its positives. */
    static List<Pair> of(HardNegatives h, boolean perPositive) {
      if (!perPositive) {
        return List.of(new Pair(h.queryId(), null));
      }
      return h.positiveIds().stream().map(p -> new Pair(h.queryId(), p)).toList();
    }
  }
}
