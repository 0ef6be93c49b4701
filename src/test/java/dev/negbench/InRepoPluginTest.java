package dev.negbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * `mvn jmh:run` on a fresh clone resolves the plugin from the checkout's own repository
 * (tools/repo): it must hold the version the root pom names, built from the current plugin sources
 * (tools/jmh-maven-plugin/publish records their hash as sha256sum would).
 */
class InRepoPluginTest {
  private static final Path PLUGIN = Path.of("tools/jmh-maven-plugin");

  @Test
  void checkoutRepositoryHoldsThePluginBuiltFromTheseSources() throws IOException {
    Matcher m =
        Pattern.compile("<jmh-plugin.version>([^<]+)</jmh-plugin.version>")
            .matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(m.find(), "pom.xml names jmh-plugin.version");
    Path dir = Path.of("tools/repo/dev/negbench/jmh-maven-plugin", m.group(1));
    assertTrue(
        Files.isRegularFile(dir.resolve("jmh-maven-plugin-" + m.group(1) + ".jar")),
        "run tools/jmh-maven-plugin/publish: no jar in " + dir);
    assertTrue(Files.isRegularFile(dir.resolve("jmh-maven-plugin-" + m.group(1) + ".pom")));
    List<Path> files;
    try (Stream<Path> s =
        Stream.concat(
            Stream.of(PLUGIN.resolve("pom.xml")),
            Files.walk(PLUGIN.resolve("src")).filter(Files::isRegularFile))) {
      files = s.sorted().toList();
    }
    StringBuilder listing = new StringBuilder();
    for (Path f : files) {
      listing
          .append(AtomicFiles.sha256(f))
          .append("  ")
          .append(PLUGIN.relativize(f).toString().replace('\\', '/'))
          .append('\n');
    }
    assertEquals(
        Files.readString(dir.resolve("sources.sha256")).trim(),
        AtomicFiles.sha256(listing.toString()),
        "tools/repo's plugin was built from other sources: run tools/jmh-maven-plugin/publish and commit tools/repo");
  }
}
