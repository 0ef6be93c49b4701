package dev.negbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming reader reads what {@link TrecRun#read} reads, from any range, with the same errors.
 */
class TrecRunReaderTest {
  @TempDir Path dir;

  private record Group(String queryId, String[] docIds, double[] scores) {}

  private static List<Group> groups(Path file, long from, long to) {
    List<Group> out = new ArrayList<>();
    TrecRunReader.read(file, from, to, (q, d, s) -> out.add(new Group(q, d, s)));
    return out;
  }

  @Test
  void readsWhatTrecRunReadsWithBomCrLfTabsBlankLinesAndNoFinalNewline() throws IOException {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    String text =
        "q1 Q0 d1 1 2.5 t\r\nq1\tQ0\td2\t2\t-1e3\tt\n\n  q2 Q0 dé 1 NaN t  \nq2 Q0 d3 2 +7 t";
    Path file = dir.resolve("mixed.run");
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, all, 0, 3);
    System.arraycopy(body, 0, all, 3, body.length);
    Files.write(file, all);
    TrecRun expected = TrecRun.read(file);
    List<Group> read = groups(file, 0, Long.MAX_VALUE);
    assertEquals(List.copyOf(expected.queryIds()), read.stream().map(Group::queryId).toList());
    for (Group g : read) {
      assertArrayEquals(expected.hits(g.queryId()).docIds(), g.docIds());
      assertArrayEquals(expected.hits(g.queryId()).scores(), g.scores());
    }
    assertEquals("dé", read.get(1).docIds()[0]);
  }

  @Test
  void rangesCutAtLineStartsTogetherReadTheWholeFile() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int q = 0; q < 30; q++) {
      for (int i = 0; i < 1 + q % 7; i++) {
        lines.add("q" + q + " Q0 d" + i + " " + (i + 1) + " " + (100 - i) + ".25 run");
      }
    }
    Path file = dir.resolve("r.run");
    Files.write(file, lines);
    long size = Files.size(file);
    for (int parts = 1; parts <= 9; parts++) {
      List<String> hits = new ArrayList<>();
      long start = 0;
      for (int p = 1; p <= parts; p++) {
        long end = p == parts ? size : TrecRunReader.lineStart(file, size * p / parts);
        for (Group g : groups(file, start, end)) {
          for (String d : g.docIds()) {
            hits.add(g.queryId() + " " + d);
          }
        }
        start = end;
      }
      assertEquals(lines.size(), hits.size(), "parts " + parts);
      for (int i = 0; i < lines.size(); i++) {
        String[] cols = lines.get(i).split(" ");
        assertEquals(cols[0] + " " + cols[2], hits.get(i));
      }
    }
  }

  @Test
  void aBadLineIsNamedByItsLineInTheFileWhateverRangeReadsIt() throws IOException {
    Path file = dir.resolve("bad.run");
    Files.write(
        file, List.of("q1 Q0 a 1 1.0 t", "q1 Q0 b 2 0.5 t", "q2 Q0 c 1 high t", "q2 Q0 d 2 0.1 t"));
    long third = TrecRunReader.lineStart(file, 20);
    for (long from : new long[] {0, third}) {
      DatasetFormatException e =
          assertThrows(DatasetFormatException.class, () -> groups(file, from, Long.MAX_VALUE));
      assertEquals(3, e.line(), e.getMessage());
      assertEquals(file + ":3: expected a numeric score in column 5, found 'high'", e.getMessage());
    }
    Path five = dir.resolve("five.run");
    Files.write(five, List.of("q1 Q0 a 1 1.0", "q1 Q0 a 1 1.0 t extra"));
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> groups(five, 0, Long.MAX_VALUE));
    assertEquals(
        five + ":1: expected 6 whitespace-separated columns (qid Q0 docid rank score tag), found 5",
        e.getMessage());
    Path latin1 = dir.resolve("latin1.run");
    Files.write(latin1, "q1 Q0 d\u00e9 1 1.0 t\n".getBytes(StandardCharsets.ISO_8859_1));
    e = assertThrows(DatasetFormatException.class, () -> groups(latin1, 0, Long.MAX_VALUE));
    assertEquals(latin1 + ":1: expected UTF-8 text", e.getMessage());
    assertThrows(
        DatasetFormatException.class, () -> TrecRunReader.size(dir.resolve("missing.run")));
  }

  @Test
  void scoresParseToTheDoubleParseDoubleGives() {
    Random random = new Random(3);
    List<String> texts =
        new ArrayList<>(
            List.of(
                "0",
                "-0.000000",
                "0.5",
                ".5",
                "5.",
                "+3",
                "1e5",
                "-2.5E-3",
                "123456789012345.6",
                "0.000000000000000000001",
                "99999999999999999999",
                "Infinity",
                "-Infinity",
                "1.5d",
                "0x1p3"));
    for (int i = 0; i < 20_000; i++) {
      double v = random.nextGaussian() * Math.pow(10, random.nextInt(12) - 4);
      texts.add(
          switch (i % 4) {
            case 0 -> String.format(Locale.ROOT, "%.6f", v);
            case 1 -> Double.toString(v);
            case 2 -> String.format(Locale.ROOT, "%.15f", v);
            default -> String.format(Locale.ROOT, "%.4f", v);
          });
    }
    for (String t : texts) {
      byte[] b = ("x" + t + "y").getBytes(StandardCharsets.US_ASCII);
      assertEquals(
          Double.doubleToRawLongBits(Double.parseDouble(t)),
          Double.doubleToRawLongBits(TrecRunReader.parseScore(b, 1, b.length - 1)),
          t);
    }
    byte[] bad = "high".getBytes(StandardCharsets.US_ASCII);
    assertEquals(Double.NaN, TrecRunReader.parseScore(bad, 0, bad.length));
  }
}
