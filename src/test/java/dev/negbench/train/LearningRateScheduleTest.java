package dev.negbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  @Test
  void warmsUpLinearlyThenDecaysToZeroAtTheEnd() {
    var settings = new TrainingSettings(3, 2, 1e-3, 0.01, 0.25, 1.0, 16, 32, 1, 20, 7, "cpu");
    LearningRateSchedule s = LearningRateSchedule.of(settings, 9);
    assertEquals(3, s.warmup(), "ceil(9 x 0.25)");
    double[] expected = {0, 1 / 3.0, 2 / 3.0, 1, 5 / 6.0, 4 / 6.0, 3 / 6.0, 2 / 6.0, 1 / 6.0};
    for (int step = 0; step < 9; step++) {
      assertEquals(expected[step] * 1e-3, s.learningRate(step), 1e-15, "step " + step);
    }
    assertEquals(0, s.learningRate(9), "0 after the last step");
  }

  @Test
  void withoutWarmupStartsAtThePeak() {
    LearningRateSchedule s = new LearningRateSchedule(2.0, 4, 0);
    assertEquals(2.0, s.learningRate(0));
    assertEquals(0.5, s.learningRate(3));
  }
}
