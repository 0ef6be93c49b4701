package dev.negbench.analysis;

import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.io.Progress;
import dev.negbench.mine.Bm25Index;
import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.mine.EnglishBm25Analyzer;
import dev.negbench.model.QueryPassage;
import dev.negbench.model.Scorer;
import dev.negbench.model.TextEncoder;
import dev.negbench.results.HardnessSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
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

  /**
   * Analyses the first {@code maxQueries} rows. {@code texts} maps corpus ids to {@code title + " "
   * + text} for every positive and mined negative of those rows; {@code corpus} holds the reference
   * encoder's embeddings of the corpus (queries and generated passages are encoded here, in one
   * length-bucketed call); {@code crossEncoder} may be null.
   */
  public static HardnessSummary analyse(
      String source,
      List<HardNegatives> rows,
      Map<String, String> texts,
      DenseEmbeddings corpus,
      Bm25Index index,
      TextEncoder reference,
      Scorer crossEncoder,
      int maxQueries,
      Progress.Factory progress) {
    List<HardNegatives> todo = analysable(rows, texts, maxQueries);
    Iterator<float[]> encoded =
        Arrays.asList(encodeOutsideCorpus(source, todo, reference, progress)).iterator();
    Bm25 bm25 = new Bm25(index);
    Totals totals = new Totals();
    try (Progress bar = progress.start("Hardness " + source, todo.size())) {
      for (HardNegatives h : todo) {
        QueryNegatives q = QueryNegatives.of(h, texts, corpus, encoded);
        totals.add(q, bm25, crossEncoder == null ? null : crossEncoderScores(crossEncoder, q));
        bar.advance();
      }
    }
    return totals.summary(source, todo.size(), crossEncoder != null);
  }

  /** The first {@code maxQueries} rows with a negative and a positive whose text is known. */
  private static List<HardNegatives> analysable(
      List<HardNegatives> rows, Map<String, String> texts, int maxQueries) {
    List<HardNegatives> todo = new ArrayList<>();
    for (HardNegatives h : rows) {
      if (todo.size() == maxQueries) {
        break;
      }
      if (!h.negatives().isEmpty() && h.positiveIds().stream().anyMatch(texts::containsKey)) {
        todo.add(h);
      }
    }
    return todo;
  }

  /**
   * Encodes the texts the corpus embeddings lack, in one call: per row its query, then its
   * generated (inline) negatives in row order, the order {@link QueryNegatives#of} takes them in.
   */
  private static float[][] encodeOutsideCorpus(
      String source, List<HardNegatives> todo, TextEncoder reference, Progress.Factory progress) {
    List<String> toEncode = new ArrayList<>();
    for (HardNegatives h : todo) {
      toEncode.add(h.query());
      h.negatives().stream().filter(Negative::inline).forEach(n -> toEncode.add(n.text()));
    }
    try (Progress bar = progress.start("Encoding for hardness " + source, toEncode.size())) {
      return reference.encode(toEncode, true, bar);
    }
  }

  /**
   * The cross-encoder's scores of the query with its positive (index 0), then with each negative.
   */
  private static float[] crossEncoderScores(Scorer crossEncoder, QueryNegatives q) {
    List<QueryPassage> pairs = new ArrayList<>();
    pairs.add(new QueryPassage(q.query(), q.positive()));
    q.negatives().forEach(t -> pairs.add(new QueryPassage(q.query(), t)));
    return crossEncoder.score(pairs);
  }

  /**
   * One row as analysed: the query, its first positive with a known text, and the negatives with a
   * text (generated ones, or corpus ids in {@code texts}), each with its reference-encoder vector;
   * a vector is null for a corpus passage the embeddings lack.
   */
  private record QueryNegatives(
      String query,
      float[] queryVector,
      String positive,
      float[] positiveVector,
      List<String> negatives,
      List<float[]> negativeVectors) {

    /** Takes the query's vector, then one per generated negative, from {@code encoded}. */
    static QueryNegatives of(
        HardNegatives h,
        Map<String, String> texts,
        DenseEmbeddings corpus,
        Iterator<float[]> encoded) {
      String positiveId =
          h.positiveIds().stream().filter(texts::containsKey).findFirst().orElseThrow();
      float[] queryVector = encoded.next();
      List<String> negatives = new ArrayList<>();
      List<float[]> vectors = new ArrayList<>();
      for (Negative neg : h.negatives()) {
        if (neg.inline()) {
          negatives.add(neg.text());
          vectors.add(encoded.next());
        } else if (texts.containsKey(neg.docId())) {
          negatives.add(texts.get(neg.docId()));
          vectors.add(vector(corpus, neg.docId()));
        }
      }
      return new QueryNegatives(
          h.query(),
          queryVector,
          texts.get(positiveId),
          vector(corpus, positiveId),
          negatives,
          vectors);
    }
  }

  /**
   * Sums over every analysed negative, one group per measure; per-query values (the positive's
   * cosine and length) are added once per negative, so every mean is over negatives.
   */
  private static final class Totals {
    private double cosQ, cosP, posCosQ, closer;
    private double ratio, bmAbove;
    private double jaccard, negLen, posLen;
    private double ce, ceAbove;
    private long negatives;

    /**
     * {@code ceScores} as {@link #crossEncoderScores} gives them, or null without a cross-encoder.
     */
    void add(QueryNegatives q, Bm25 bm25, float[] ceScores) {
      addCosines(q);
      addBm25(q, bm25);
      addOverlap(q, bm25);
      if (ceScores != null) {
        addCrossEncoder(ceScores);
      }
      negatives += q.negatives().size();
    }

    private void addCosines(QueryNegatives q) {
      float[] p = q.positiveVector();
      double pq = p == null ? Double.NaN : dot(q.queryVector(), p);
      for (float[] v : q.negativeVectors()) {
        double nq = v == null ? Double.NaN : dot(v, q.queryVector());
        cosQ += nq;
        cosP += v == null || p == null ? Double.NaN : dot(v, p);
        posCosQ += pq;
        closer += nq > pq ? 1 : 0;
      }
    }

    private void addBm25(QueryNegatives q, Bm25 bm25) {
      Map<String, Integer> queryTerms = bm25.terms(q.query());
      double posBm25 = bm25.score(queryTerms, q.positive());
      for (String neg : q.negatives()) {
        double s = bm25.score(queryTerms, neg);
        ratio += posBm25 > 0 ? s / posBm25 : 0;
        bmAbove += s > posBm25 ? 1 : 0;
      }
    }

    /** Token overlap and lengths, with the BM25 analyzer's tokens. */
    private void addOverlap(QueryNegatives q, Bm25 bm25) {
      List<String> posTokens = bm25.tokens(q.positive());
      Set<String> posSet = new HashSet<>(posTokens);
      for (String neg : q.negatives()) {
        List<String> tokens = bm25.tokens(neg);
        jaccard += jaccard(new HashSet<>(tokens), posSet);
        negLen += tokens.size();
        posLen += posTokens.size();
      }
    }

    /** Scores above the positive's (index 0) are likely false negatives. */
    private void addCrossEncoder(float[] scores) {
      for (int i = 1; i < scores.length; i++) {
        ce += scores[i];
        ceAbove += scores[i] > scores[0] ? 1 : 0;
      }
    }

    HardnessSummary summary(String source, int queries, boolean crossEncoder) {
      double d = Math.max(1, negatives);
      return new HardnessSummary(
          source,
          queries,
          negatives,
          round(cosQ / d),
          round(cosP / d),
          round(posCosQ / d),
          round(closer / d),
          round(ratio / d),
          round(bmAbove / d),
          crossEncoder ? round(ce / d) : null,
          crossEncoder ? round(ceAbove / d) : null,
          round(jaccard / d),
          round(negLen / d),
          round(posLen / d));
    }
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
   * BM25 of any text against the index's statistics, as Lucene's BM25Similarity computes it (idf =
   * ln(1 + (N - df + 0.5) / (df + 0.5)), tf part freq / (freq + k1 (1 - b + b dl / avgdl)), query
   * term counts as boosts as in the searcher), except that document length is exact where Lucene
   * stores it in one lossy byte.
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
