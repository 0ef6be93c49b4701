package dev.negbench.generate;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.io.AtomicFiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One (query, positive) pair to generate hard negatives for: the prompt made from the two, and the
 * key its line is cached under.
 *
 * @param positive the positive's text; null when the corpus has no document with its id
 * @param key SHA-256 of the generation parameters, the prompt and both ids: two positives with the
 *     same text are still two requests
 */
record QueryPositivePair(
    Query query, String positiveId, String positive, String key, PromptTemplate.Messages messages) {

  /**
   * The pairs of {@code split} to generate for: the first {@code limit} queries with a positive (0:
   * all), in qrels order, each with its first or every positive in file order; at most {@code
   * maxPairs} of them (0: all).
   */
  static List<QueryPositivePair> of(
      BeirDataset dataset,
      String split,
      GeneratorProfile gen,
      PromptTemplate template,
      int limit,
      int maxPairs,
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
    List<QueryPositivePair> pairs = new ArrayList<>();
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
        pairs.add(new QueryPositivePair(q, pid, positive, key, m));
        if (maxPairs > 0 && pairs.size() == maxPairs) {
          return pairs;
        }
      }
    }
    return pairs;
  }
}
