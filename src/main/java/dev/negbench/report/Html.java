package dev.negbench.report;

import java.util.List;
import java.util.Locale;

/** What every section of the page writes alike: escaped text, a 4-decimal number, the † legend. */
final class Html {
  private Html() {}

  /** Escapes {@code & < > " '}: safe in element text and in quoted attributes. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** A number to 4 decimals, or – for NaN (no value). */
  static String n4(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", v);
  }

  /**
   * Before a table whose {@code names} (source labels) include one marked †: what the mark means
   * (the nDCG@10 section names the models).
   */
  static void daggerNote(StringBuilder b, List<String> names) {
    if (names.stream().anyMatch(n -> n.endsWith(Report.FIXTURE_MARK))) {
      b.append(
          "<p class=\"note\">†: made with a TEST FIXTURE, a tiny random-weight model (named under the nDCG@10 table); its numbers test the machinery, not the source.</p>\n");
    }
  }
}
