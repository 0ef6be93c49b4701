package dev.negbench.report;

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no scripts, fonts or links to
 * fetch. Every string that comes from results, configs or an LLM goes through {@link Html#esc}.
 */
final class HtmlPage {
  private static final String CSS =
      "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1340px;color:#222;padding:0 1em}"
          + "table{border-collapse:collapse;margin:1em 0;font-size:13px}th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}"
          + "th{background:#f3f3f3}td.l,th.l{text-align:left}.best{font-weight:bold}.sig{color:#0a7d2c}.neg{color:#b3261e}"
          + "td.l{overflow-wrap:anywhere}tr.avg td{border-top:2px solid #888}svg{max-width:100%;height:auto}details{margin:1em 0}summary{cursor:pointer;font-weight:bold}"
          + ".note{color:#555;font-size:13px}.synthetic{background:#fff4d6;padding:4px 8px;border:1px solid #e0c060}code{font-size:12px}";

  private HtmlPage() {}

  static String render(Report r) {
    StringBuilder b = new StringBuilder();
    b.append(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>negbench report</title>\n<style>")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<h1>negbench report</h1>\n");
    b.append(
        "<p class=\"note\">Dense retrievers fine-tuned on hard negatives from each source, evaluated by nDCG@10; generated from the committed <code>results/</code> by <code>negbench report</code>.</p>\n");
    NdcgSection.append(b, r);
    SignificanceSection.append(b, r);
    CostSection.append(b, r);
    GeneratorSection.append(b, r);
    HardnessSection.append(b, r);
    KernelSection.append(b, r);
    b.append("</body>\n</html>\n");
    return b.toString();
  }
}
