package dev.negbench.report;

import java.util.List;
import java.util.Locale;

/** Inline SVG charts: no scripts, no external fonts; every label escaped. */
final class Svg {
  /** Colour-blind-safe palette (Okabe and Ito 2008), one colour per source in report order. */
  static final String[] PALETTE = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"};

  private Svg() {}

  static String color(int i) {
    return PALETTE[i % PALETTE.length];
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** One group of bars per category, one bar per series; values in [0, max]; NaN bars are left out. */
  static String groupedBars(String title, List<String> categories, List<String> series, double[][] values, double[][] errors) {
    int width = 760;
    int height = 320;
    int left = 50, right = 160, top = 30, bottom = 60;
    double plotW = width - left - right, plotH = height - top - bottom;
    double max = 0;
    for (double[] row : values) {
      for (double v : row) {
        if (!Double.isNaN(v)) {
          max = Math.max(max, v);
        }
      }
    }
    max = max <= 0 ? 1 : Math.min(1, Math.ceil(max * 10) / 10);
    StringBuilder b = new StringBuilder();
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\">");
    b.append("<title>").append(Html.esc(title)).append("</title>");
    axes(b, left, top, plotW, plotH, max, 5);
    double groupW = plotW / Math.max(1, categories.size());
    double barW = groupW * 0.8 / Math.max(1, series.size());
    for (int c = 0; c < categories.size(); c++) {
      double gx = left + c * groupW + groupW * 0.1;
      for (int s = 0; s < series.size(); s++) {
        double v = values[c][s];
        if (Double.isNaN(v)) {
          continue;
        }
        double h = v / max * plotH;
        double x = gx + s * barW;
        b.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(top + plotH - h)).append("\" width=\"").append(f(barW * 0.9))
            .append("\" height=\"").append(f(h)).append("\" fill=\"").append(color(s)).append("\"><title>")
            .append(Html.esc(categories.get(c) + " / " + series.get(s) + ": " + String.format(Locale.ROOT, "%.4f", v))).append("</title></rect>");
        double err = errors == null ? 0 : errors[c][s];
        if (err > 0 && !Double.isNaN(err)) {
          double cx = x + barW * 0.45;
          double y1 = top + plotH - Math.min(max, v + err) / max * plotH;
          double y2 = top + plotH - Math.max(0, v - err) / max * plotH;
          b.append("<line x1=\"").append(f(cx)).append("\" x2=\"").append(f(cx)).append("\" y1=\"").append(f(y1)).append("\" y2=\"")
              .append(f(y2)).append("\" stroke=\"#333\"/>");
        }
      }
      b.append("<text x=\"").append(f(left + c * groupW + groupW / 2)).append("\" y=\"").append(top + plotH + 18)
          .append("\" text-anchor=\"middle\" font-size=\"12\">").append(Html.esc(categories.get(c))).append("</text>");
    }
    legend(b, series, width - right + 10, top);
    b.append("</svg>");
    return b.toString();
  }

  /** A labelled scatter plot; points with a NaN coordinate are left out. */
  static String scatter(String title, String xLabel, String yLabel, List<String> labels, double[] x, double[] y) {
    int width = 760, height = 340, left = 60, right = 30, top = 30, bottom = 60;
    double plotW = width - left - right, plotH = height - top - bottom;
    double xMax = 0, yMax = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
        xMax = Math.max(xMax, x[i]);
        yMax = Math.max(yMax, y[i]);
      }
    }
    xMax = xMax <= 0 ? 1 : xMax * 1.15;
    yMax = yMax <= 0 ? 1 : Math.min(1, Math.ceil(yMax * 10) / 10 + 0.05);
    StringBuilder b = new StringBuilder();
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\">");
    b.append("<title>").append(Html.esc(title)).append("</title>");
    axes(b, left, top, plotW, plotH, yMax, 5);
    for (int t = 0; t <= 4; t++) {
      double v = xMax * t / 4;
      b.append("<text x=\"").append(f(left + plotW * t / 4)).append("\" y=\"").append(top + plotH + 16)
          .append("\" text-anchor=\"middle\" font-size=\"11\">").append(String.format(Locale.ROOT, "%.3g", v)).append("</text>");
    }
    b.append("<text x=\"").append(f(left + plotW / 2)).append("\" y=\"").append(height - 12).append("\" text-anchor=\"middle\" font-size=\"12\">")
        .append(Html.esc(xLabel)).append("</text>");
    b.append("<text x=\"14\" y=\"").append(f(top + plotH / 2)).append("\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 14 ")
        .append(f(top + plotH / 2)).append(")\">").append(Html.esc(yLabel)).append("</text>");
    for (int i = 0; i < x.length; i++) {
      if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
        continue;
      }
      double px = left + x[i] / xMax * plotW, py = top + plotH - y[i] / yMax * plotH;
      b.append("<circle cx=\"").append(f(px)).append("\" cy=\"").append(f(py)).append("\" r=\"5\" fill=\"").append(color(i)).append("\"><title>")
          .append(Html.esc(labels.get(i))).append("</title></circle>");
      b.append("<text x=\"").append(f(px + 8)).append("\" y=\"").append(f(py - 6)).append("\" font-size=\"11\">").append(Html.esc(labels.get(i)))
          .append("</text>");
    }
    b.append("</svg>");
    return b.toString();
  }

  /** A horizontal bar with a 99.9% error whisker, scaled to {@code max}: the JMH tables' error bars. */
  static String errorBar(double score, double error, double max) {
    int w = 140, h = 14;
    double s = max > 0 ? score / max * (w - 4) : 0;
    double lo = max > 0 ? Math.max(0, score - error) / max * (w - 4) : 0;
    double hi = max > 0 ? Math.min(max, score + error) / max * (w - 4) : 0;
    StringBuilder b = new StringBuilder();
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h).append("\" viewBox=\"0 0 ")
        .append(w).append(' ').append(h).append("\">");
    b.append("<rect x=\"0\" y=\"3\" width=\"").append(f(s)).append("\" height=\"8\" fill=\"#56B4E9\"/>");
    if (!Double.isNaN(error) && error > 0) {
      b.append("<line x1=\"").append(f(lo)).append("\" x2=\"").append(f(hi)).append("\" y1=\"7\" y2=\"7\" stroke=\"#000\"/>");
      b.append("<line x1=\"").append(f(lo)).append("\" x2=\"").append(f(lo)).append("\" y1=\"3\" y2=\"11\" stroke=\"#000\"/>");
      b.append("<line x1=\"").append(f(hi)).append("\" x2=\"").append(f(hi)).append("\" y1=\"3\" y2=\"11\" stroke=\"#000\"/>");
    }
    b.append("</svg>");
    return b.toString();
  }

  private static void axes(StringBuilder b, int left, int top, double plotW, double plotH, double max, int ticks) {
    for (int t = 0; t <= ticks; t++) {
      double y = top + plotH - plotH * t / ticks;
      b.append("<line x1=\"").append(left).append("\" x2=\"").append(f(left + plotW)).append("\" y1=\"").append(f(y)).append("\" y2=\"")
          .append(f(y)).append("\" stroke=\"#ddd\"/>");
      b.append("<text x=\"").append(left - 6).append("\" y=\"").append(f(y + 4)).append("\" text-anchor=\"end\" font-size=\"11\">")
          .append(String.format(Locale.ROOT, "%.2f", max * t / ticks)).append("</text>");
    }
    b.append("<line x1=\"").append(left).append("\" x2=\"").append(left).append("\" y1=\"").append(top).append("\" y2=\"").append(f(top + plotH))
        .append("\" stroke=\"#333\"/>");
  }

  private static void legend(StringBuilder b, List<String> series, int x, int y) {
    for (int s = 0; s < series.size(); s++) {
      int yy = y + s * 18;
      b.append("<rect x=\"").append(x).append("\" y=\"").append(yy).append("\" width=\"12\" height=\"12\" fill=\"").append(color(s)).append("\"/>");
      b.append("<text x=\"").append(x + 18).append("\" y=\"").append(yy + 10).append("\" font-size=\"12\">").append(Html.esc(series.get(s)))
          .append("</text>");
    }
  }
}
