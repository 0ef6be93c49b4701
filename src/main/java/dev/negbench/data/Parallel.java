package dev.negbench.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Maps a function over a list on a fixed number of threads, keeping the input's order. */
public final class Parallel {
  private Parallel() {}

  /**
   * {@code fn} applied to every item on {@code threads} threads; the results are in input order,
   * so the output does not depend on the thread count. The first failure is rethrown as it was
   * (a {@link RuntimeException}) and the remaining work is cancelled.
   */
  public static <T, R> List<R> map(List<T> items, int threads, Progress progress, Function<T, R> fn) {
    Object[] results = new Object[items.size()];
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<?>> futures = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        int at = i;
        futures.add(
            pool.submit(
                () -> {
                  results[at] = fn.apply(items.get(at));
                  progress.advance();
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    @SuppressWarnings("unchecked")
    List<R> list = (List<R>) Arrays.asList(results);
    return list;
  }
}
