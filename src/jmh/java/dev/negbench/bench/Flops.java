package dev.negbench.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Floating-point operations a kernel did, reported by JMH as a rate: the secondary metric {@code
 * flop} (FLOP/s) that {@code JmhSummary} sets against the GEMM peak measured in the same run.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Flops {
  public long flop;

  @Setup(Level.Iteration)
  public void reset() {
    flop = 0;
  }
}
