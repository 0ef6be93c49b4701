package dev.negbench.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zip entries that would land outside the folder are refused before anything is written. */
class SafeUnzipTest {
  @TempDir Path tmp;

  @Test
  void entriesThatEscapeAreRefusedAndNothingIsWritten() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    for (String evil :
        List.of("x/../../evil.txt", "/tmp/evil.txt", "C:/evil.txt", "..\\evil.txt")) {
      Path zip = tmp.resolve("evil.zip");
      Files.write(zip, BeirZips.zip(src, "x/", Map.of(evil, "evil")));
      Path into = Files.createDirectories(tmp.resolve("into"));
      DatasetFormatException e =
          assertThrows(DatasetFormatException.class, () -> SafeUnzip.unpack(zip, into));
      assertTrue(e.getMessage().contains("refused zip entry '" + evil + "'"), e.getMessage());
      try (var listing = Files.list(into)) {
        assertEquals(0, listing.count(), "nothing unpacked before the check: " + evil);
      }
    }
    assertFalse(Files.exists(tmp.resolve("evil.txt")));
  }

  @Test
  void aTruncatedZipIsBadInput() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a".repeat(1000));
    byte[] whole = BeirZips.zip(src, "x/", Map.of());
    Path zip = tmp.resolve("cut.zip");
    Files.write(zip, Arrays.copyOf(whole, whole.length / 2));
    DatasetFormatException e =
        assertThrows(
            DatasetFormatException.class,
            () -> SafeUnzip.unpack(zip, Files.createDirectories(tmp.resolve("into"))));
    assertTrue(e.getMessage().contains("expected a whole zip file"), e.getMessage());
  }

  @Test
  void aNormalZipUnpacks() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src/sub"));
    Files.writeString(src.resolve("b.txt"), "b");
    Path zip = tmp.resolve("ok.zip");
    Files.write(zip, BeirZips.zip(tmp.resolve("src"), "top/", Map.of()));
    Path into = Files.createDirectories(tmp.resolve("into"));
    SafeUnzip.unpack(zip, into);
    assertEquals("b", Files.readString(into.resolve("top/sub/b.txt")));
  }
}
