package dev.negbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrainingPositionTest {
  @Test
  void keepsTheFirstLossAndTheLast() {
    TrainingPosition p = TrainingPosition.START;
    assertEquals(0, p.step());
    assertTrue(Double.isNaN(p.firstLoss()) && Double.isNaN(p.lastLoss()), "no loss before a step");
    p = p.after(3.0).after(2.0).after(1.5);
    assertEquals(new TrainingPosition(3, 3.0, 1.5), p);
  }
}
