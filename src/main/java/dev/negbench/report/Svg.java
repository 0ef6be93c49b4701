package dev.negbench.report;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/** Inline SVG charts: no scripts, no external fonts; every label escaped. */
final class Svg {
  /** Colour-blind-safe palette (Okabe and Ito 2008), one colour per source in report order. */
  static final String[] PALETTE = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"
  };

  private Svg() {}

  static String color(int i) {
    return PALETTE[i % PALETTE.length];
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /**
   * One point of a dot-and-whisker chart: a source's mean on a dataset and its interval; {@code
   * colour} indexes {@link #PALETTE}.
   */
  record Whisker(String dataset, String source, int colour, double mean, double low, double high) {}

  /**
   * Dot-and-whisker chart: one line per (dataset, source), grouped by dataset, a dot at the mean
   * and a whisker over the interval, on an axis fitted to the intervals (not from zero, so 0.645
   * and 0.688 look different). Points with a NaN mean are left out; a NaN interval draws the dot
   * alone.
   */
  static String dotWhisker(String title, List<Whisker> points) {
    List<Whisker> shown = points.stream().filter(p -> !Double.isNaN(p.mean())).toList();
    int rowH = 16, groupGap = 10, left = 190, right = 40, top = 30, bottom = 46, width = 900;
    long groups = shown.stream().map(Whisker::dataset).distinct().count();
    int height = top + bottom + shown.size() * rowH + (int) Math.max(0, groups - 1) * groupGap;
    double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
    for (Whisker p : shown) {
      lo = Math.min(lo, Double.isNaN(p.low()) ? p.mean() : p.low());
      hi = Math.max(hi, Double.isNaN(p.high()) ? p.mean() : p.high());
    }
    if (shown.isEmpty()) {
      lo = 0;
      hi = 1;
    }
    // Ticks every 0.01, 0.02, 0.05 or 0.1, whichever gives at most 10 intervals.
    double span = Math.max(hi - lo, 1e-6);
    double step = 0.1;
    for (double s : new double[] {0.005, 0.01, 0.02, 0.05, 0.1, 0.2}) {
      if (span / s <= 10) {
        step = s;
        break;
      }
    }
    double min = Math.max(0, Math.floor(lo / step) * step);
    double max = Math.min(1, Math.ceil(hi / step) * step);
    if (max <= min) {
      max = min + step;
    }
    double plotW = width - left - right;
    StringBuilder b = new StringBuilder();
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\">");
    b.append("<title>").append(Html.esc(title)).append("</title>");
    double plotBottom = height - bottom;
    int ticks = (int) Math.round((max - min) / step);
    for (int t = 0; t <= ticks; t++) {
      double v = min + t * step;
      double x = left + (v - min) / (max - min) * plotW;
      b.append("<line x1=\"")
          .append(f(x))
          .append("\" x2=\"")
          .append(f(x))
          .append("\" y1=\"")
          .append(top)
          .append("\" y2=\"")
          .append(f(plotBottom))
          .append("\" stroke=\"#ddd\"/>");
      b.append("<text x=\"")
          .append(f(x))
          .append("\" y=\"")
          .append(f(plotBottom + 16))
          .append("\" text-anchor=\"middle\" font-size=\"11\">")
          .append(String.format(Locale.ROOT, step < 0.01 ? "%.3f" : "%.2f", v))
          .append("</text>");
    }
    b.append("<text x=\"")
        .append(f(left + plotW / 2))
        .append("\" y=\"")
        .append(height - 8)
        .append("\" text-anchor=\"middle\" font-size=\"12\">")
        .append("nDCG@10 (dot: mean; whiskers: 95% interval)</text>");
    double y = top;
    String group = null;
    for (Whisker p : shown) {
      if (group != null && !group.equals(p.dataset())) {
        y += groupGap;
      }
      double cy = y + rowH / 2.0;
      if (!p.dataset().equals(group)) {
        b.append("<text x=\"4\" y=\"")
            .append(f(cy + 4))
            .append("\" font-size=\"12\" font-weight=\"bold\">")
            .append(Html.esc(shorten(p.dataset(), 14)))
            .append("</text>");
        group = p.dataset();
      }
      b.append("<text x=\"")
          .append(left - 8)
          .append("\" y=\"")
          .append(f(cy + 4))
          .append("\" text-anchor=\"end\" font-size=\"11\">")
          .append(Html.esc(shorten(p.source(), 18)))
          .append("</text>");
      String c = color(p.colour());
      if (!Double.isNaN(p.low()) && !Double.isNaN(p.high())) {
        double x1 = left + (p.low() - min) / (max - min) * plotW,
            x2 = left + (p.high() - min) / (max - min) * plotW;
        b.append("<line x1=\"")
            .append(f(x1))
            .append("\" x2=\"")
            .append(f(x2))
            .append("\" y1=\"")
            .append(f(cy))
            .append("\" y2=\"")
            .append(f(cy))
            .append("\" stroke=\"")
            .append(c)
            .append("\" stroke-width=\"2\"/>");
      }
      double cx = left + (p.mean() - min) / (max - min) * plotW;
      b.append("<circle cx=\"")
          .append(f(cx))
          .append("\" cy=\"")
          .append(f(cy))
          .append("\" r=\"4.5\" fill=\"")
          .append(c)
          .append("\"><title>")
          .append(
              Html.esc(
                  p.dataset()
                      + " / "
                      + p.source()
                      + String.format(
                          Locale.ROOT, ": %.4f [%.4f, %.4f]", p.mean(), p.low(), p.high())))
          .append("</title></circle>");
      y += rowH;
    }
    b.append("<line x1=\"")
        .append(left)
        .append("\" x2=\"")
        .append(left)
        .append("\" y1=\"")
        .append(top)
        .append("\" y2=\"")
        .append(f(plotBottom))
        .append("\" stroke=\"#333\"/>");
    b.append("</svg>");
    return b.toString();
  }

  static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /**
   * A labelled scatter plot with a log-scale x axis (costs span decades: CPU mining against GPU
   * generation) and a y axis fitted to the points; {@code colours} index {@link #PALETTE}. Points
   * with a NaN or non-positive x or a NaN y are left out.
   */
  static String scatter(
      String title,
      String xLabel,
      String yLabel,
      List<String> labels,
      double[] x,
      double[] y,
      int[] colours) {
    int width = 900, height = 380, left = 60, right = 190, top = 20, bottom = 50;
    double plotW = width - left - right, plotH = height - top - bottom;
    double xLo = Double.POSITIVE_INFINITY,
        xHi = Double.NEGATIVE_INFINITY,
        yLo = Double.POSITIVE_INFINITY,
        yHi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < x.length; i++) {
      if (x[i] > 0 && !Double.isNaN(y[i])) {
        xLo = Math.min(xLo, Math.log10(x[i]));
        xHi = Math.max(xHi, Math.log10(x[i]));
        yLo = Math.min(yLo, y[i]);
        yHi = Math.max(yHi, y[i]);
      }
    }
    if (xLo > xHi) {
      xLo = -3;
      xHi = 0;
      yLo = 0;
      yHi = 1;
    }
    xLo = Math.floor(xLo);
    xHi = Math.max(xLo + 1, Math.ceil(xHi));
    double pad = Math.max(0.01, (yHi - yLo) * 0.1);
    yLo = Math.max(0, Math.floor((yLo - pad) * 100) / 100);
    yHi = Math.min(1, Math.ceil((yHi + pad) * 100) / 100);
    StringBuilder b = new StringBuilder();
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\">");
    b.append("<title>").append(Html.esc(title)).append("</title>");
    for (int t = 0; t <= 5; t++) {
      double v = yLo + (yHi - yLo) * t / 5;
      double py = top + plotH - plotH * t / 5;
      b.append("<line x1=\"")
          .append(left)
          .append("\" x2=\"")
          .append(f(left + plotW))
          .append("\" y1=\"")
          .append(f(py))
          .append("\" y2=\"")
          .append(f(py))
          .append("\" stroke=\"#ddd\"/>");
      b.append("<text x=\"")
          .append(left - 6)
          .append("\" y=\"")
          .append(f(py + 4))
          .append("\" text-anchor=\"end\" font-size=\"11\">")
          .append(String.format(Locale.ROOT, "%.3f", v))
          .append("</text>");
    }
    for (int d = (int) xLo; d <= (int) xHi; d++) {
      double px = left + (d - xLo) / (xHi - xLo) * plotW;
      b.append("<line x1=\"")
          .append(f(px))
          .append("\" x2=\"")
          .append(f(px))
          .append("\" y1=\"")
          .append(top)
          .append("\" y2=\"")
          .append(f(top + plotH))
          .append("\" stroke=\"#ddd\"/>");
      b.append("<text x=\"")
          .append(f(px))
          .append("\" y=\"")
          .append(f(top + plotH + 16))
          .append("\" text-anchor=\"middle\" font-size=\"11\">")
          .append(decade(d))
          .append("</text>");
    }
    b.append("<line x1=\"")
        .append(left)
        .append("\" x2=\"")
        .append(left)
        .append("\" y1=\"")
        .append(top)
        .append("\" y2=\"")
        .append(f(top + plotH))
        .append("\" stroke=\"#333\"/>");
    b.append("<text x=\"")
        .append(f(left + plotW / 2))
        .append("\" y=\"")
        .append(height - 10)
        .append("\" text-anchor=\"middle\" font-size=\"12\">")
        .append(Html.esc(xLabel))
        .append("</text>");
    b.append("<text x=\"14\" y=\"")
        .append(f(top + plotH / 2))
        .append("\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 14 ")
        .append(f(top + plotH / 2))
        .append(")\">")
        .append(Html.esc(yLabel))
        .append("</text>");
    for (int i = 0; i < x.length; i++) {
      if (!(x[i] > 0) || Double.isNaN(y[i])) {
        continue;
      }
      double px = left + (Math.log10(x[i]) - xLo) / (xHi - xLo) * plotW,
          py = top + plotH - (y[i] - yLo) / (yHi - yLo) * plotH;
      b.append("<circle cx=\"")
          .append(f(px))
          .append("\" cy=\"")
          .append(f(py))
          .append("\" r=\"5\" fill=\"")
          .append(color(colours[i]))
          .append("\"><title>")
          .append(
              Html.esc(
                  labels.get(i)
                      + String.format(
                          Locale.ROOT, ": US$ %.6f per 1,000, nDCG@10 %.4f", x[i], y[i])))
          .append("</title></circle>");
      // Labels alternate above and below their points, so that neighbours at one height stay apart.
      b.append("<text x=\"")
          .append(f(px + 8))
          .append("\" y=\"")
          .append(f(i % 2 == 0 ? py - 6 : py + 14))
          .append("\" font-size=\"11\">")
          .append(Html.esc(labels.get(i)))
          .append("</text>");
    }
    b.append("</svg>");
    return b.toString();
  }

  /** A decade label of a log axis: 10^d as a plain decimal (0.001, 0.01, 0.1, 1, 10). */
  private static String decade(int d) {
    return BigDecimal.ONE.scaleByPowerOfTen(d).toPlainString();
  }

  /**
   * A horizontal bar with a 99.9% error whisker, scaled to {@code max}: the JMH tables' error bars.
   */
  static String errorBar(double score, double error, double max) {
    int w = 140, h = 14;
    double s = max > 0 ? score / max * (w - 4) : 0;
    double lo = max > 0 ? Math.max(0, score - error) / max * (w - 4) : 0;
    double hi = max > 0 ? Math.min(max, score + error) / max * (w - 4) : 0;
    StringBuilder b = new StringBuilder();
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(h)
        .append("\" viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(h)
        .append("\">");
    b.append("<rect x=\"0\" y=\"3\" width=\"")
        .append(f(s))
        .append("\" height=\"8\" fill=\"#56B4E9\"/>");
    if (!Double.isNaN(error) && error > 0) {
      b.append("<line x1=\"")
          .append(f(lo))
          .append("\" x2=\"")
          .append(f(hi))
          .append("\" y1=\"7\" y2=\"7\" stroke=\"#000\"/>");
      b.append("<line x1=\"")
          .append(f(lo))
          .append("\" x2=\"")
          .append(f(lo))
          .append("\" y1=\"3\" y2=\"11\" stroke=\"#000\"/>");
      b.append("<line x1=\"")
          .append(f(hi))
          .append("\" x2=\"")
          .append(f(hi))
          .append("\" y1=\"3\" y2=\"11\" stroke=\"#000\"/>");
    }
    b.append("</svg>");
    return b.toString();
  }
}
