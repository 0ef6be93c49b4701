package dev.negbench.mine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The block kernel's scores at each vector width this processor has (16, 8 and 4 floats, chosen by
 * -XX:MaxVectorSize in a child JVM), interpreted (-Xint) and after the JIT compiled it: the same
 * bits, and each the pair's {@link TileScores#dot}. The block reduces its 16 accumulators with a
 * different code path per width, so each is run.
 */
class TileScoresWidthsTest {
  @ParameterizedTest
  @ValueSource(ints = {64, 32, 16})
  void blocksScoreLikeDotInterpretedAndCompiled(int maxVectorBytes) throws Exception {
    String interpreted = child(maxVectorBytes, true);
    String compiled = child(maxVectorBytes, false);
    int lanes = maxVectorBytes / Float.BYTES;
    assertEquals("vector API, " + lanes + " floats", interpreted.lines().findFirst().orElse(""));
    assertEquals(interpreted, compiled, "-Xint against compiled, MaxVectorSize=" + maxVectorBytes);
  }

  private static String child(int maxVectorBytes, boolean interpreted)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--add-modules=jdk.incubator.vector");
    command.add("-XX:MaxVectorSize=" + maxVectorBytes);
    if (interpreted) {
      command.add("-Xint");
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName()));
    command.add(interpreted ? "1" : "3000");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out.lines().filter(l -> !l.startsWith("WARNING")).reduce("", (a, b) -> a + b + "\n");
  }

  /**
   * Scores blocks of 4 x 4 and edges at dimensions 384 (full vectors) and 20 (a tail), checks each
   * against dot, and prints the kernel and the scores' bits; repeats the scoring N times first so
   * that the JIT has compiled it.
   */
  static final class Child {
    public static void main(String[] args) {
      int repeats = Integer.parseInt(args[0]);
      TileScores kernel = TileScores.INSTANCE;
      String d = kernel.describe();
      System.out.println(d.substring(0, d.indexOf(" floats") + 7));
      for (int dim : new int[] {384, 20}) {
        SplittableRandom random = new SplittableRandom(dim);
        float[][] queries = rows(random, 9, dim);
        float[][] tile = rows(random, 10, dim);
        int stride = 11;
        float[] out = new float[9 * stride];
        for (int i = 0; i < repeats; i++) {
          kernel.scores(queries, 0, 9, tile, 10, dim, out, stride);
        }
        int[] bits = new int[9 * 10];
        for (int q = 0; q < 9; q++) {
          for (int t = 0; t < 10; t++) {
            float score = out[q * stride + t];
            float dot = kernel.dot(queries[q], tile[t]);
            if (Float.floatToRawIntBits(score) != Float.floatToRawIntBits(dot)) {
              throw new AssertionError(
                  "dim " + dim + " query " + q + " document " + t + ": " + score + " != " + dot);
            }
            bits[q * 10 + t] = Float.floatToRawIntBits(score);
          }
        }
        System.out.println("dim " + dim + ": " + Arrays.toString(bits));
      }
    }

    private static float[][] rows(SplittableRandom random, int n, int dim) {
      float[][] out = new float[n][dim];
      for (float[] row : out) {
        for (int i = 0; i < dim; i++) {
          row[i] = (float) (random.nextDouble() * 2 - 1);
        }
      }
      return out;
    }
  }
}
