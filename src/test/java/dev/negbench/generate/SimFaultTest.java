package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.io.AtomicFiles;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimFaultTest {
  private static SimProfile faulty(double rate429, double rate500, long seed) {
    return SimProfile.instant()
        .withSeed(seed)
        .withFaults(new SimProfile.Faults(rate429, 1000, rate500, 0, 1, 0, 0, 0, 0));
  }

  @Test
  void noRatesNoFaultsAndARateOfOneAlways() {
    String hash = AtomicFiles.sha256("a prompt\n");
    for (int occurrence = 0; occurrence < 50; occurrence++) {
      assertEquals(SimFault.NONE, SimFault.draw(SimProfile.instant(), hash, occurrence));
      assertEquals(SimFault.TOO_MANY, SimFault.draw(faulty(1, 0, 1), hash, occurrence));
      assertEquals(SimFault.SERVER_ERROR, SimFault.draw(faulty(0, 1, 1), hash, occurrence));
    }
  }

  @Test
  void drawsEachFaultAtItsRateTheSameWayEveryTime() {
    SimProfile p = faulty(0.2, 0.3, 42);
    Map<SimFault, Integer> counts = new EnumMap<>(SimFault.class);
    for (int i = 0; i < 10_000; i++) {
      String hash = AtomicFiles.sha256("prompt " + (i % 100) + "\n");
      SimFault f = SimFault.draw(p, hash, i / 100);
      assertEquals(f, SimFault.draw(p, hash, i / 100), "a function of seed, prompt, occurrence");
      counts.merge(f, 1, Integer::sum);
    }
    assertEquals(3, counts.size(), counts.toString());
    assertTrue(Math.abs(counts.get(SimFault.TOO_MANY) - 2000) < 200, counts.toString());
    assertTrue(Math.abs(counts.get(SimFault.SERVER_ERROR) - 3000) < 200, counts.toString());
    int differ = 0;
    for (int i = 0; i < 100; i++) {
      String hash = AtomicFiles.sha256("prompt " + i + "\n");
      differ += SimFault.draw(p, hash, 0) != SimFault.draw(faulty(0.2, 0.3, 43), hash, 0) ? 1 : 0;
    }
    assertTrue(differ > 20, "another seed, other faults: " + differ);
  }
}
