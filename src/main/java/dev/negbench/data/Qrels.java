package dev.negbench.data;

import dev.negbench.io.TextLines;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Relevance judgments: query id to (document id to graded relevance). A grade of 0 or below is a
 * judged non-relevant document, as in trec_eval.
 *
 * <p>Reads both BEIR qrels ({@code query-id<TAB>corpus-id<TAB>score} with a header row) and TREC
 * qrels ({@code qid iter docno rel}, whitespace separated). A repeated (query, document) pair keeps
 * its last grade and is counted in {@link #duplicateRows()}.
 */
public final class Qrels {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final Map<String, Map<String, Integer>> judgments;
  private final Map<String, Set<String>> relevant = new HashMap<>();
  private final int duplicateRows;

  public Qrels(Map<String, Map<String, Integer>> judgments) {
    this(judgments, 0);
  }

  private Qrels(Map<String, Map<String, Integer>> judgments, int duplicateRows) {
    this.judgments = judgments;
    this.duplicateRows = duplicateRows;
    // Built once: miners ask for each query's positives on every run.
    judgments.forEach((query, judged) -> relevant.put(query, relevantOf(judged)));
  }

  /** Query ids in file order. */
  public Set<String> queryIds() {
    return Collections.unmodifiableSet(judgments.keySet());
  }

  /** Document id to grade for one query; empty when the query has no judgments. */
  public Map<String, Integer> judgments(String queryId) {
    return Collections.unmodifiableMap(judgments.getOrDefault(queryId, Map.of()));
  }

  /** Ids of the documents judged relevant (grade above 0) for one query, in file order. */
  public Set<String> relevant(String queryId) {
    return relevant.getOrDefault(queryId, Set.of());
  }

  private static Set<String> relevantOf(Map<String, Integer> judged) {
    String[] ids = new String[judged.size()];
    int n = 0;
    for (var e : judged.entrySet()) {
      if (e.getValue() > 0) {
        ids[n++] = e.getKey();
      }
    }
    return n == 0 ? Set.of() : new OrderedIds(Arrays.copyOf(ids, n));
  }

  public int queryCount() {
    return judgments.size();
  }

  public int rowCount() {
    return judgments.values().stream().mapToInt(Map::size).sum();
  }

  public int duplicateRows() {
    return duplicateRows;
  }

  /**
   * Reads a qrels file, BEIR TSV or TREC, telling them apart by the first line: TREC rows have four
   * whitespace-separated columns, BEIR rows three tab-separated ones after a header.
   */
  public static Qrels read(Path file) {
    Map<String, Map<String, Integer>> judgments = new LinkedHashMap<>();
    int duplicates = 0;
    try (TextLines lines = TextLines.open(file)) {
      String line;
      Boolean trec = null;
      while ((line = lines.next()) != null) {
        if (line.isBlank()) {
          continue;
        }
        if (trec == null) {
          String[] tabbed = line.split("\t", -1);
          if (tabbed.length == 3) {
            trec = false;
            if (!isInteger(tabbed[2].strip())) {
              continue; // the BEIR header row: query-id, corpus-id, score
            }
          } else {
            trec = true;
          }
        }
        String queryId;
        String docId;
        String grade;
        if (trec) {
          String[] cols = WHITESPACE.split(line.strip());
          if (cols.length != 4) {
            throw lines.error(
                "expected 4 whitespace-separated columns (qid iter docno rel) in TREC qrels, found "
                    + cols.length);
          }
          queryId = cols[0];
          docId = cols[2];
          grade = cols[3];
        } else {
          String[] cols = line.split("\t", -1);
          if (cols.length != 3) {
            throw lines.error(
                "expected 3 tab-separated columns (query-id, corpus-id, score) in BEIR qrels, found "
                    + cols.length);
          }
          queryId = cols[0].strip();
          docId = cols[1].strip();
          grade = cols[2].strip();
          if (queryId.isEmpty() || docId.isEmpty()) {
            throw lines.error("expected a non-empty query-id and corpus-id");
          }
        }
        if (!isInteger(grade)) {
          throw lines.error("expected an integer relevance score, found '" + grade + "'");
        }
        Integer previous =
            judgments
                .computeIfAbsent(queryId, q -> new LinkedHashMap<>())
                .put(docId, Integer.parseInt(grade));
        if (previous != null) {
          duplicates++;
        }
      }
    }
    return new Qrels(judgments, duplicates);
  }

  private static boolean isInteger(String s) {
    if (s.isEmpty() || s.length() > 10) {
      return false;
    }
    int start = s.charAt(0) == '-' || s.charAt(0) == '+' ? 1 : 0;
    if (start == s.length()) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
