package dev.negbench.data;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * An unmodifiable set of ids over one array, in the order given. {@link Qrels} holds each query's
 * positives this way: a miner copies them out for every query, and copying an array is one read,
 * where a linked hash set walks entries that lie scattered over the heap (a tenth of what BM25
 * mining adds to the search at a million documents). Sets of more than {@value #SCAN_LIMIT} ids
 * answer {@link #contains} from a hash set beside the array.
 */
final class OrderedIds extends AbstractSet<String> {
  private static final int SCAN_LIMIT = 8;

  private final String[] ids;
  private final Set<String> lookup;

  /** {@code ids} in order, already free of repeats; the array is not copied. */
  OrderedIds(String[] ids) {
    this.ids = ids;
    this.lookup = ids.length > SCAN_LIMIT ? new HashSet<>(Arrays.asList(ids)) : null;
  }

  @Override
  public int size() {
    return ids.length;
  }

  @Override
  public boolean contains(Object o) {
    if (lookup != null) {
      return lookup.contains(o);
    }
    for (String id : ids) {
      if (id.equals(o)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Iterator<String> iterator() {
    return Arrays.asList(ids).iterator();
  }

  @Override
  public Object[] toArray() {
    return Arrays.copyOf(ids, ids.length, Object[].class);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T[] toArray(T[] a) {
    if (a.length < ids.length) {
      return (T[]) Arrays.copyOf(ids, ids.length, a.getClass());
    }
    System.arraycopy(ids, 0, a, 0, ids.length);
    if (a.length > ids.length) {
      a[ids.length] = null;
    }
    return a;
  }
}
