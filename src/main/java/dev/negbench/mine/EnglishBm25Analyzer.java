package dev.negbench.mine;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * Anserini's default English analyzer ({@code DefaultEnglishAnalyzer}, Porter stemmer): standard
 * tokenization, possessive removal, lower-casing, Lucene's English stop words, Porter stemming. The
 * BEIR "flat" regressions that the published BM25 numbers come from use exactly this chain.
 */
public final class EnglishBm25Analyzer extends Analyzer {
  /** Recorded in index manifests: a change of the chain must invalidate old indexes. */
  public static final String DESCRIPTION =
      "StandardTokenizer>EnglishPossessiveFilter>LowerCaseFilter>StopFilter(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET)>PorterStemFilter";

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    StandardTokenizer source = new StandardTokenizer();
    TokenStream result = new EnglishPossessiveFilter(source);
    result = new LowerCaseFilter(result);
    result = new StopFilter(result, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
    result = new PorterStemFilter(result);
    return new TokenStreamComponents(source, result);
  }

  @Override
  protected TokenStream normalize(String fieldName, TokenStream in) {
    return new LowerCaseFilter(in);
  }
}
