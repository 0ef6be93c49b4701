package dev.negbench.mine;

import dev.negbench.data.RunEntry;
import dev.negbench.io.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * BM25 retrieval over a {@link Bm25Index}, with Anserini's bag-of-words queries: the query text is
 * analysed like the documents and each distinct term becomes a SHOULD clause boosted by how often
 * it occurs in the query ({@code BagOfWordsQueryGenerator}). Thread-safe.
 */
public final class Bm25Searcher {
  static {
    // BEIR has passage-long queries (ArguAna, Touché): lift Lucene's 1024-clause limit.
    IndexSearcher.setMaxClauseCount(Math.max(IndexSearcher.getMaxClauseCount(), 65_536));
  }

  private final Bm25Index index;
  private final Analyzer analyzer = new EnglishBm25Analyzer();

  public Bm25Searcher(Bm25Index index) {
    this.index = index;
  }

  public Bm25Index index() {
    return index;
  }

  /**
   * One retrieved document: its Lucene document number, BM25 score and 1-based rank. The BEIR id is
   * looked up only when asked for: the id strings lie scattered over the heap, and reading 100 of
   * them per query, when mining keeps 10, cost mining a tenth of its speed.
   */
  public record Hit(int luceneDoc, float score, int rank, Bm25Index index) {
    public String docId() {
      return index.docId(luceneDoc);
    }
  }

  /** Anserini's bag-of-words query for a text; matches nothing when every token is a stop word. */
  public Query query(String text) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    try (TokenStream stream = analyzer.tokenStream(Bm25Index.CONTENTS, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        counts.merge(term.toString(), 1, Integer::sum);
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (counts.isEmpty()) {
      return new MatchNoDocsQuery("no indexable terms");
    }
    BooleanQuery.Builder builder = new BooleanQuery.Builder();
    counts.forEach(
        (t, n) -> {
          Query q = new TermQuery(new Term(Bm25Index.CONTENTS, t));
          builder.add(n == 1 ? q : new BoostQuery(q, n), BooleanClause.Occur.SHOULD);
        });
    return builder.build();
  }

  /**
   * The top {@code k} documents for a query text. A hit whose id equals {@code excludeId} (BEIR
   * datasets where queries are also documents: Anserini's {@code -removeQuery}) is left out and the
   * ranks close up; pass null to keep every hit.
   */
  public List<Hit> search(String text, int k, String excludeId) {
    List<Hit> hits = new ArrayList<>(Math.min(k, 1024));
    forEachHit(
        text, k, excludeId, (doc, score, rank) -> hits.add(new Hit(doc, score, rank, index)));
    return hits;
  }

  /** Receives hits best first; returns false to stop early. */
  @FunctionalInterface
  public interface HitVisitor {
    boolean visit(int luceneDoc, float score, int rank);
  }

  /**
   * As {@link #search}, but hands each hit to {@code visitor} without building a list: the miner
   * reads a hundred candidates per query to keep ten, and allocates only for those.
   */
  public void forEachHit(String text, int k, String excludeId, HitVisitor visitor) {
    forEachHit(text, k, excludeId == null ? -1 : index.luceneDoc(excludeId), visitor);
  }

  /**
   * As {@link #forEachHit(String, int, String, HitVisitor)}, leaving out the document numbered
   * {@code excluded} (-1: none), for a caller that has looked the id up already.
   */
  public void forEachHit(String text, int k, int excluded, HitVisitor visitor) {
    TopDocs top;
    try {
      top = index.searcher().search(query(text), excluded < 0 ? k : k + 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int rank = 0;
    for (ScoreDoc sd : top.scoreDocs) {
      if (sd.doc == excluded) {
        continue;
      }
      if (rank == k || !visitor.visit(sd.doc, sd.score, ++rank)) {
        return;
      }
    }
  }

  /**
   * Retrieves the top {@code k} for every query on {@code threads} threads, leaving out each
   * query's own id; the result keeps the queries' order whatever the thread count.
   */
  public Map<String, List<RunEntry>> searchAll(
      List<dev.negbench.data.Query> queries,
      int k,
      String tag,
      int threads,
      Progress.Factory progress) {
    return Runs.retrieve(
        "BM25 search",
        queries,
        threads,
        progress,
        i -> {
          dev.negbench.data.Query q = queries.get(i);
          List<Hit> hits = search(q.text(), k, q.id());
          List<RunEntry> entries = new ArrayList<>(hits.size());
          for (Hit h : hits) {
            entries.add(new RunEntry(q.id(), h.docId(), h.rank(), h.score(), tag));
          }
          return entries;
        });
  }
}
