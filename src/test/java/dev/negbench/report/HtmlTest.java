package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escapesTextAndAttributes() {
    assertEquals("&lt;a href=&#39;x&#39;&gt;&amp;&quot;", Html.esc("<a href='x'>&\""));
    assertEquals("", Html.esc(null));
  }

  @Test
  void fourDecimalsOrADash() {
    assertEquals("0.5000", Html.n4(0.5));
    assertEquals("–", Html.n4(Double.NaN));
  }

  @Test
  void theDaggerLegendOnlyWhereAMarkedNameIs() {
    StringBuilder b = new StringBuilder();
    Html.daggerNote(b, List.of("bm25", "dense"));
    assertEquals("", b.toString());
    Html.daggerNote(b, List.of("bm25", "ce" + Report.FIXTURE_MARK));
    assertEquals(
        "<p class=\"note\">†: made with a TEST FIXTURE, a tiny random-weight model (named under the"
            + " nDCG@10 table); its numbers test the machinery, not the source.</p>\n",
        b.toString());
  }
}
