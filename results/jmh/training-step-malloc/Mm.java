import ai.djl.ndarray.*; import ai.djl.ndarray.types.*; import ai.djl.engine.Engine;
public class Mm { public static void main(String[] a) throws Exception {
  try (NDManager m = NDManager.newBaseManager("PyTorch")) {
    Engine.getEngine("PyTorch").setRandomSeed(1);
    int n = Integer.parseInt(a[0]);
    NDArray x = m.randomNormal(new Shape(n, n)); NDArray y = m.randomNormal(new Shape(n, n));
    for (int r = 0; r < 3; r++) { long t = System.nanoTime(); int reps = 10;
      for (int i = 0; i < reps; i++) { try (NDArray z = x.matMul(y)) { z.getFloat(0,0); } }
      double s = (System.nanoTime() - t) / 1e9; System.out.printf("n=%d %.1f GFLOP/s%n", n, 2.0*n*n*n*reps/s/1e9); }
  } } }
