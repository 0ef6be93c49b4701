package dev.negbench.data;

import dev.negbench.io.AtomicFiles;
import dev.negbench.io.TextLines;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A TREC run: for each query, its ranked hits. The file format is one hit a line,
 *
 * <pre>qid Q0 docid rank score tag</pre>
 *
 * whitespace separated: the query id, the literal "Q0" (trec_eval ignores this column), the
 * document id, the 1-based rank (trec_eval ignores it too and orders by score), the score, and a
 * run tag naming the system. Queries keep the order in which they first appear.
 */
public final class TrecRun {
  private final Map<String, RankedList> hits;

  public TrecRun(Map<String, RankedList> hits) {
    this.hits = hits;
  }

  public Set<String> queryIds() {
    return Collections.unmodifiableSet(hits.keySet());
  }

  /** The hits of one query in file order, or null when the run has none for it. */
  public RankedList hits(String queryId) {
    return hits.get(queryId);
  }

  public int queryCount() {
    return hits.size();
  }

  public long hitCount() {
    return hits.values().stream().mapToLong(RankedList::size).sum();
  }

  /** Parses a run file; a line without six columns or with a non-numeric score is an error. */
  public static TrecRun read(Path file) {
    Map<String, Builder> builders = new LinkedHashMap<>();
    String[] cols = new String[6];
    try (TextLines lines = TextLines.open(file)) {
      String line;
      Builder current = null;
      String currentQuery = null;
      while ((line = lines.next()) != null) {
        int n = split(line, cols);
        if (n == 0) {
          continue;
        }
        if (n != 6) {
          throw lines.error(
              "expected 6 whitespace-separated columns (qid Q0 docid rank score tag), found "
                  + (n > 6 ? "more than 6" : n));
        }
        double score;
        try {
          score = Double.parseDouble(cols[4]);
        } catch (NumberFormatException e) {
          throw lines.error("expected a numeric score in column 5, found '" + cols[4] + "'");
        }
        if (!cols[0].equals(currentQuery)) {
          currentQuery = cols[0];
          current = builders.computeIfAbsent(currentQuery, q -> new Builder());
        }
        current.add(cols[2], score);
      }
    }
    Map<String, RankedList> hits = new LinkedHashMap<>(builders.size() * 2);
    builders.forEach((q, b) -> hits.put(q, b.build()));
    return new TrecRun(hits);
  }

  /** Splits on spaces and tabs into at most cols.length + 1 tokens; returns the count found. */
  private static int split(String line, String[] cols) {
    int n = 0;
    int i = 0;
    int len = line.length();
    while (i < len) {
      while (i < len && isSpace(line.charAt(i))) {
        i++;
      }
      if (i == len) {
        break;
      }
      int start = i;
      while (i < len && !isSpace(line.charAt(i))) {
        i++;
      }
      if (n == cols.length) {
        return n + 1;
      }
      cols[n++] = line.substring(start, i);
    }
    return n;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }

  /**
   * Writes one query's hits as TREC run lines. Scores are printed with six decimals, as Anserini's
   * RunOutputWriter does, so runs are comparable line by line with Anserini's.
   */
  public static void writeHits(BufferedWriter out, String queryId, List<RunEntry> entries)
      throws IOException {
    StringBuilder sb = new StringBuilder(64);
    for (RunEntry e : entries) {
      sb.setLength(0);
      sb.append(queryId).append(" Q0 ").append(e.docId()).append(' ').append(e.rank()).append(' ');
      sb.append(String.format(Locale.ROOT, "%.6f", e.score())).append(' ').append(e.tag());
      sb.append('\n');
      out.write(sb.toString());
    }
  }

  /** Writes a whole run atomically (temporary file, then move). */
  public static void write(Path file, Map<String, List<RunEntry>> run) {
    AtomicFiles.write(
        file,
        out -> {
          for (Map.Entry<String, List<RunEntry>> e : run.entrySet()) {
            writeHits(out, e.getKey(), e.getValue());
          }
        });
  }

  private static final class Builder {
    private final List<String> docs = new ArrayList<>();
    private double[] scores = new double[16];

    void add(String doc, double score) {
      if (docs.size() == scores.length) {
        scores = Arrays.copyOf(scores, scores.length * 2);
      }
      scores[docs.size()] = score;
      docs.add(doc);
    }

    RankedList build() {
      return new RankedList(docs.toArray(String[]::new), Arrays.copyOf(scores, docs.size()));
    }
  }
}
