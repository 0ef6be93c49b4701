package dev.negbench.analysis;

import dev.negbench.model.TextEncoder;
import dev.negbench.io.Json;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.io.Progress;
import dev.negbench.mine.Bm25Index;
import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.mine.EnglishBm25Analyzer;
import dev.negbench.model.QueryPassage;
import dev.negbench.model.Scorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.CollectionStatistics;

/**
 * How hard a source's negatives are, measured against each query's first positive: cosine
 * similarity to the query and to the positive under a reference bi-encoder; the BM25 score of the
 * negative for the query divided by the positive's (the corpus index's statistics, so generated
 * passages outside the corpus are scored alike); a cross-encoder's score and the share it scores
 * above the positive (likely false negatives) when one is configured; token Jaccard overlap with
 * the positive; length in tokens.
 */
public final class Hardness {
  // Lucene's index field for title + text (Bm25Index.CONTENTS, package-private there).
  private static final String CONTENTS = "contents";

  private Hardness() {}

  /** Means over all analysed negatives; cross-encoder fields are null without a cross-encoder. */
  public record Summary(
      String source,
      int queries,
      long negatives,
      double cosineToQuery,
      double cosineToPositive,
      double positiveCosineToQuery,
      double shareCloserThanPositive,
      double bm25Ratio,
      double shareBm25AbovePositive,
      Double crossEncoderScore,
      Double shareCrossEncoderAbovePositive,
      double jaccardWithPositive,
      double negativeTokens,
      double positiveTokens) {

    public static Summary read(Path file) {
      return Json.read(file, Summary.class);
    }

    public void write(Path file) {
      Json.write(file, this);
    }
  }

  /**
   * Analyses the first {@code maxQueries} rows. {@code texts} maps corpus ids to {@code title + " "
   * + text} for every positive and mined negative of those rows; {@code corpus} holds the reference
   * encoder's embeddings of the corpus (queries and generated passages are encoded here, in one
   * length-bucketed call); {@code crossEncoder} may be null.
   */
  public static Summary analyse(
      String source,
      List<HardNegatives> rows,
      Map<String, String> texts,
      DenseEmbeddings corpus,
      Bm25Index index,
      TextEncoder reference,
      Scorer crossEncoder,
      int maxQueries,
      Progress.Factory progress) {
    List<HardNegatives> todo = new ArrayList<>();
    for (HardNegatives h : rows) {
      if (todo.size() == maxQueries) {
        break;
      }
      if (!h.negatives().isEmpty() && h.positiveIds().stream().anyMatch(texts::containsKey)) {
        todo.add(h);
      }
    }
    // Texts the corpus embeddings lack: every query and every generated (inline) negative.
    List<String> toEncode = new ArrayList<>();
    for (HardNegatives h : todo) {
      toEncode.add(h.query());
      h.negatives().stream().filter(Negative::inline).forEach(n -> toEncode.add(n.text()));
    }
    float[][] encoded;
    try (Progress bar = progress.start("Encoding for hardness " + source, toEncode.size())) {
      encoded = reference.encode(toEncode, true, bar);
    }
    Bm25 bm25 = new Bm25(index);
    double cosQ = 0, cosP = 0, posCosQ = 0, closer = 0, ratio = 0, bmAbove = 0, ce = 0, ceAbove = 0, jaccard = 0, negLen = 0, posLen = 0;
    long n = 0;
    int next = 0;
    try (Progress bar = progress.start("Hardness " + source, todo.size())) {
      for (HardNegatives h : todo) {
        String positiveId = h.positiveIds().stream().filter(texts::containsKey).findFirst().orElseThrow();
        String positive = texts.get(positiveId);
        float[] q = encoded[next++];
        float[] p = vector(corpus, positiveId);
        List<String> negs = new ArrayList<>();
        List<float[]> negVectors = new ArrayList<>();
        for (Negative neg : h.negatives()) {
          if (neg.inline()) {
            negs.add(neg.text());
            negVectors.add(encoded[next++]);
          } else if (texts.containsKey(neg.docId())) {
            negs.add(texts.get(neg.docId()));
            negVectors.add(vector(corpus, neg.docId()));
          }
        }
        double pq = p == null ? Double.NaN : dot(q, p);
        Map<String, Integer> queryTerms = bm25.terms(h.query());
        double posBm25 = bm25.score(queryTerms, positive);
        List<String> posTokens = bm25.tokens(positive);
        Set<String> posSet = new HashSet<>(posTokens);
        float[] ceScores = null;
        if (crossEncoder != null) {
          List<QueryPassage> pairs = new ArrayList<>();
          pairs.add(new QueryPassage(h.query(), positive));
          negs.forEach(t -> pairs.add(new QueryPassage(h.query(), t)));
          ceScores = crossEncoder.score(pairs);
        }
        for (int i = 0; i < negs.size(); i++) {
          float[] v = negVectors.get(i);
          double nq = v == null ? Double.NaN : dot(v, q);
          cosQ += nq;
          cosP += v == null || p == null ? Double.NaN : dot(v, p);
          posCosQ += pq;
          closer += nq > pq ? 1 : 0;
          double s = bm25.score(queryTerms, negs.get(i));
          ratio += posBm25 > 0 ? s / posBm25 : 0;
          bmAbove += s > posBm25 ? 1 : 0;
          List<String> tokens = bm25.tokens(negs.get(i));
          jaccard += jaccard(new HashSet<>(tokens), posSet);
          negLen += tokens.size();
          posLen += posTokens.size();
          if (ceScores != null) {
            ce += ceScores[i + 1];
            ceAbove += ceScores[i + 1] > ceScores[0] ? 1 : 0;
          }
          n++;
        }
        bar.advance();
      }
    }
    double d = Math.max(1, n);
    return new Summary(
        source, todo.size(), n, round(cosQ / d), round(cosP / d), round(posCosQ / d), round(closer / d), round(ratio / d),
        round(bmAbove / d), crossEncoder == null ? null : round(ce / d), crossEncoder == null ? null : round(ceAbove / d),
        round(jaccard / d), round(negLen / d), round(posLen / d));
  }

  private static float[] vector(DenseEmbeddings corpus, String docId) {
    int row = corpus.row(docId);
    return row < 0 ? null : corpus.vector(row);
  }

  static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 0;
    }
    int common = 0;
    for (String t : a) {
      if (b.contains(t)) {
        common++;
      }
    }
    return (double) common / (a.size() + b.size() - common);
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double round(double v) {
    return Math.round(v * 1e4) / 1e4;
  }

  /**
   * BM25 of any text against the index's statistics, as Lucene's BM25Similarity computes it
   * (idf = ln(1 + (N - df + 0.5) / (df + 0.5)), tf part freq / (freq + k1 (1 - b + b dl / avgdl)),
   * query term counts as boosts as in the searcher), except that document length is exact where
   * Lucene stores it in one lossy byte.
   */
  static final class Bm25 {
    private final Analyzer analyzer = new EnglishBm25Analyzer();
    private final IndexReader reader;
    private final double k1;
    private final double b;
    private final double avgdl;
    private final long docCount;
    private final Map<String, Double> idf = new HashMap<>();

    Bm25(Bm25Index index) {
      this.reader = index.searcher().getIndexReader();
      this.k1 = index.similarity().getK1();
      this.b = index.similarity().getB();
      try {
        CollectionStatistics stats = index.searcher().collectionStatistics(CONTENTS);
        this.docCount = stats == null ? 0 : stats.docCount();
        this.avgdl = stats == null ? 1 : (double) stats.sumTotalTermFreq() / stats.docCount();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    List<String> tokens(String text) {
      List<String> out = new ArrayList<>();
      try (TokenStream stream = analyzer.tokenStream(CONTENTS, text)) {
        CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
        stream.reset();
        while (stream.incrementToken()) {
          out.add(term.toString());
        }
        stream.end();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out;
    }

    Map<String, Integer> terms(String text) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      tokens(text).forEach(t -> counts.merge(t, 1, Integer::sum));
      return counts;
    }

    double score(Map<String, Integer> queryTerms, String text) {
      List<String> tokens = tokens(text);
      Map<String, Integer> tf = new HashMap<>();
      tokens.forEach(t -> tf.merge(t, 1, Integer::sum));
      double norm = k1 * (1 - b + b * tokens.size() / avgdl);
      double score = 0;
      for (Map.Entry<String, Integer> q : queryTerms.entrySet()) {
        Integer f = tf.get(q.getKey());
        if (f != null) {
          score += q.getValue() * idf(q.getKey()) * f / (f + norm);
        }
      }
      return score;
    }

    private double idf(String term) {
      return idf.computeIfAbsent(
          term,
          t -> {
            try {
              int df = reader.docFreq(new Term(CONTENTS, t));
              return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }
}
