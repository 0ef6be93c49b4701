package dev.negbench.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** RFC 4180 CSV files (LF line ends, so they diff cleanly), written atomically. */
public final class Csv {
  private static final CSVFormat FORMAT =
      CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

  private Csv() {}

  public static void write(Path file, List<String> header, List<List<String>> rows) {
    AtomicFiles.write(
        file,
        out -> {
          // Not closed: AtomicFiles owns the writer and syncs it after this body returns.
          CSVPrinter csv = new CSVPrinter(out, FORMAT);
          csv.printRecord(header);
          for (List<String> row : rows) {
            csv.printRecord(row);
          }
          csv.flush();
        });
  }

  /** A number with fixed decimals, or empty for NaN / missing. */
  public static String num(double v, int decimals) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
