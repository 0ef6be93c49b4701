package dev.negbench.data;

import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads a TREC run ({@code qid Q0 docid rank score tag}, see {@link TrecRun}) as a stream of byte
 * lines, without holding more than one query's hits: each run of consecutive lines with one query
 * id is handed to a {@link Sink} as it ends. It reads any byte range of the file (the lines that
 * start inside it), so several readers can share one file, and it parses bytes directly: no line
 * {@code String}s, a query id decoded once per query, scores as printed by every run writer in this
 * project ({@code %.6f}) parsed without {@link Double#parseDouble}, which gives the same double (a
 * decimal of at most 15 digits is exact in a double, as is a power of ten up to 10^22, and one
 * division rounds correctly).
 *
 * <p>The same rules as {@link TrecRun#read}: strict UTF-8, a leading byte order mark and a trailing
 * carriage return dropped, blank lines skipped, exactly six columns separated by spaces or tabs, a
 * numeric score. A bad line throws {@link DatasetFormatException} with its 1-based line number,
 * counted from the start of the file even when the reader started elsewhere.
 */
public final class TrecRunReader {
  /** Receives one query's consecutive hits, in file order. The arrays are the sink's to keep. */
  public interface Sink {
    void accept(String queryId, String[] docIds, double[] scores);
  }

  private static final int BUFFER = 1 << 20;
  private static final long[] POWERS_OF_TEN = new long[19];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
    }
  }

  private final Path file;
  private final int[] starts = new int[7];
  private final int[] ends = new int[7];
  private byte[] qid = new byte[32];
  private int qidLength = -1;
  private String queryId;
  private String[] docs = new String[1024];
  private double[] scores = new double[1024];
  private int hits;

  private TrecRunReader(Path file) {
    this.file = file;
  }

  /** The size of {@code file} in bytes; a missing file is bad input (exit 2), as in TextLines. */
  public static long size(Path file) {
    try (FileChannel ch = open(file)) {
      return ch.size();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * The offset of the first line that starts at or after {@code offset}: {@code offset} itself when
   * a line starts there, else the byte after the next line feed (the file size if none).
   */
  public static long lineStart(Path file, long offset) {
    if (offset <= 0) {
      return 0;
    }
    try (FileChannel ch = open(file)) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      long pos = offset - 1;
      while (true) {
        buf.clear();
        int n = ch.read(buf, pos);
        if (n <= 0) {
          return ch.size();
        }
        for (int i = 0; i < n; i++) {
          if (buf.get(i) == '\n') {
            return pos + i + 1;
          }
        }
        pos += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Reads the lines of {@code file} that start in {@code [from, to)}, in order, into {@code sink}.
   */
  public static void read(Path file, long from, long to, Sink sink) {
    new TrecRunReader(file).run(from, to, sink);
  }

  /** Reads the whole file. */
  public static void read(Path file, Sink sink) {
    read(file, 0, Long.MAX_VALUE, sink);
  }

  private void run(long from, long to, Sink sink) {
    try (FileChannel ch = open(file)) {
      long end = Math.min(to, ch.size());
      byte[] buf = new byte[BUFFER];
      int filled = 0;
      long pos = from; // file offset of buf[0]
      long lines = 0; // lines seen since `from`
      boolean eof = false;
      while (true) {
        if (!eof) {
          int n = ch.read(ByteBuffer.wrap(buf, filled, buf.length - filled), pos + filled);
          if (n < 0) {
            eof = true;
          } else {
            filled += n;
          }
        }
        int next = 0; // start of the first line not yet parsed
        while (pos + next < end) {
          int nl = indexOf(buf, next, filled, (byte) '\n');
          if (nl < 0) {
            if (eof && next < filled) { // the last line, without a line feed
              line(buf, next, filled, pos + next, from, ++lines, sink);
              next = filled;
            }
            break;
          }
          line(buf, next, nl, pos + next, from, ++lines, sink);
          next = nl + 1;
        }
        if (pos + next >= end || (eof && next >= filled)) {
          break;
        }
        // Keep the incomplete line at the front; grow the buffer when one line fills it.
        System.arraycopy(buf, next, buf, 0, filled - next);
        pos += next;
        filled -= next;
        if (filled == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
      }
      flush(sink);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private void line(
      byte[] b, int start, int end, long offset, long from, long lineInRange, Sink sink) {
    if (offset == 0
        && end - start >= 3
        && (b[start] & 0xff) == 0xEF
        && (b[start + 1] & 0xff) == 0xBB
        && (b[start + 2] & 0xff) == 0xBF) {
      start += 3;
    }
    if (end > start && b[end - 1] == '\r') {
      end--;
    }
    int n = 0;
    int i = start;
    while (i < end) {
      while (i < end && (b[i] == ' ' || b[i] == '\t')) {
        i++;
      }
      if (i == end) {
        break;
      }
      if (n == starts.length) {
        n++;
        break;
      }
      starts[n] = i;
      while (i < end && b[i] != ' ' && b[i] != '\t') {
        i++;
      }
      ends[n++] = i;
    }
    if (n == 0) {
      return;
    }
    if (n != 6) {
      throw error(
          from,
          lineInRange,
          "expected 6 whitespace-separated columns (qid Q0 docid rank score tag), found "
              + (n > 6 ? "more than 6" : n));
    }
    double score = parseScore(b, starts[4], ends[4]);
    if (Double.isNaN(score) && !isNanLiteral(b, starts[4], ends[4])) {
      throw error(
          from,
          lineInRange,
          "expected a numeric score in column 5, found '"
              + decode(b, starts[4], ends[4], from, lineInRange)
              + "'");
    }
    int qLength = ends[0] - starts[0];
    if (qLength != qidLength || !Arrays.equals(b, starts[0], ends[0], qid, 0, qLength)) {
      flush(sink);
      if (qid.length < qLength) {
        qid = new byte[Math.max(qLength, qid.length * 2)];
      }
      System.arraycopy(b, starts[0], qid, 0, qLength);
      qidLength = qLength;
      queryId = decode(b, starts[0], ends[0], from, lineInRange);
    }
    if (hits == docs.length) {
      docs = Arrays.copyOf(docs, hits * 2);
      scores = Arrays.copyOf(scores, hits * 2);
    }
    docs[hits] = decode(b, starts[2], ends[2], from, lineInRange);
    scores[hits++] = score;
  }

  private void flush(Sink sink) {
    if (hits > 0) {
      sink.accept(queryId, Arrays.copyOf(docs, hits), Arrays.copyOf(scores, hits));
      Arrays.fill(docs, 0, hits, null);
      hits = 0;
    }
  }

  /**
   * The score's double, or NaN when the column is not a number ({@link Double#parseDouble}'s
   * grammar decides, as in {@link TrecRun#read}). Plain decimals of up to 15 significant digits
   * take the fast path.
   */
  static double parseScore(byte[] b, int start, int end) {
    int i = start;
    boolean negative = false;
    if (i < end && (b[i] == '-' || b[i] == '+')) {
      negative = b[i] == '-';
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int fraction = -1; // digits after the point, -1 before a point
    boolean any = false;
    for (; i < end; i++) {
      byte c = b[i];
      if (c >= '0' && c <= '9') {
        any = true;
        if (mantissa == 0 && c == '0') {
          if (fraction >= 0) {
            fraction++;
          }
          continue; // leading zeros add no significant digit
        }
        if (++digits > 15) {
          return slowParse(b, start, end);
        }
        mantissa = mantissa * 10 + (c - '0');
        if (fraction >= 0) {
          fraction++;
        }
      } else if (c == '.' && fraction < 0) {
        fraction = 0;
      } else {
        return slowParse(b, start, end);
      }
    }
    if (!any || fraction > 18) {
      return slowParse(b, start, end);
    }
    double value =
        fraction <= 0
            ? mantissa
            : fraction <= 22 && fraction < POWERS_OF_TEN.length
                ? mantissa / (double) POWERS_OF_TEN[fraction]
                : Double.NaN;
    if (Double.isNaN(value)) {
      return slowParse(b, start, end);
    }
    return negative ? -value : value;
  }

  private static double slowParse(byte[] b, int start, int end) {
    try {
      return Double.parseDouble(new String(b, start, end - start, StandardCharsets.ISO_8859_1));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static boolean isNanLiteral(byte[] b, int start, int end) {
    try {
      return Double.isNaN(
          Double.parseDouble(new String(b, start, end - start, StandardCharsets.ISO_8859_1)));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Decodes a token as strict UTF-8 (ASCII, the usual case, without a decoder). */
  private String decode(byte[] b, int start, int end, long from, long lineInRange) {
    for (int i = start; i < end; i++) {
      if (b[i] < 0) {
        try {
          CharBuffer chars =
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT)
                  .decode(ByteBuffer.wrap(b, start, end - start));
          return chars.toString();
        } catch (CharacterCodingException e) {
          throw error(from, lineInRange, "expected UTF-8 text");
        }
      }
    }
    return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
  }

  private DatasetFormatException error(long from, long lineInRange, String expected) {
    return new DatasetFormatException(file, linesBefore(from) + lineInRange, expected);
  }

  /**
   * Lines that start before {@code offset} (only on the error path: it reads the file up to there).
   */
  private long linesBefore(long offset) {
    if (offset == 0) {
      return 0;
    }
    try (FileChannel ch = open(file)) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      long count = 0;
      for (long pos = 0; pos < offset; ) {
        buf.clear();
        buf.limit((int) Math.min(buf.capacity(), offset - pos));
        int n = ch.read(buf, pos);
        if (n <= 0) {
          break;
        }
        for (int i = 0; i < n; i++) {
          if (buf.get(i) == '\n') {
            count++;
          }
        }
        pos += n;
      }
      return count;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static int indexOf(byte[] b, int from, int to, byte c) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private static FileChannel open(Path file) throws IOException {
    try {
      return FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new DatasetFormatException(file, 0, "file not found");
    }
  }
}
