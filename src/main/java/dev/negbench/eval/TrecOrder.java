package dev.negbench.eval;

import java.util.Arrays;

/**
 * Ranks one query's hits the way trec_eval does, ignoring the rank column of the run: by score,
 * highest first, and among equal scores by document id in descending byte order (trec_eval
 * form_res_rels.c, comp_sim_docno: {@code strcmp(p2->docno, p1->docno)}).
 *
 * <p>Holds scratch arrays reused from query to query, so it is not thread-safe: one instance per
 * evaluation.
 */
final class TrecOrder {
  // Up to this K, keeping a sorted top K beats sorting all hits: for nDCG@10 over 1,000 hits,
  // nearly every hit costs one comparison with the current 10th best.
  private static final int INSERTION_LIMIT = 64;

  private int[] order = new int[64];
  private int[] mergeBuffer = new int[64];
  private String[] seenDocs = new String[0];
  private int[] seenHashes = new int[0];
  private int[] seenStamps = new int[0];
  private int currentStamp;

  /**
   * Returns hit indices into {@code docIds}/{@code scores}, best first, of which the first {@code
   * min(depth, docIds.length)} are valid.
   *
   * @throws IllegalArgumentException when a document id occurs twice, as trec_eval refuses such a
   *     run ("duplicate docs")
   */
  int[] rank(String queryId, String[] docIds, double[] scores, int depth) {
    int n = docIds.length;
    requireDistinct(queryId, docIds);
    if (order.length < n) {
      order = new int[Math.max(n, order.length * 2)];
    }
    int k = Math.min(depth, n);
    if (isRanked(docIds, scores)) {
      // Runs are usually written best first: the file order is the ranking.
      for (int i = 0; i < k; i++) {
        order[i] = i;
      }
    } else if (k <= INSERTION_LIMIT && k < n) {
      topByInsertion(docIds, scores, k);
    } else {
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      if (mergeBuffer.length < n) {
        mergeBuffer = new int[order.length];
      }
      mergeSort(docIds, scores, 0, n);
    }
    return order;
  }

  /** Whether hit a ranks above hit b. */
  static boolean before(String[] docIds, double[] scores, int a, int b) {
    // Written with > and < as in comp_sim_docno: a NaN score ties with everything, as there.
    if (scores[a] > scores[b]) {
      return true;
    }
    if (scores[a] < scores[b]) {
      return false;
    }
    return compareBytes(docIds[a], docIds[b]) > 0;
  }

  /**
   * Compares two strings in the order of their UTF-8 bytes, which is what C's strcmp sees. UTF-8
   * byte order is code point order; String.compareTo compares UTF-16 units, which differs when a
   * supplementary character (a surrogate pair) meets a character from U+E000 to U+FFFF.
   */
  static int compareBytes(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (x >= Character.MIN_SURROGATE && y >= Character.MIN_SURROGATE) {
          // Move surrogates above U+E000..U+FFFF (the fix-up of ICU's compareCodePointOrder).
          return codePointRank(x) - codePointRank(y);
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  private static int codePointRank(char c) {
    return c >= 0xE000 ? c - 0x800 : c + 0x2000;
  }

  private static boolean isRanked(String[] docIds, double[] scores) {
    for (int i = 1; i < docIds.length; i++) {
      if (!before(docIds, scores, i - 1, i)) {
        return false;
      }
    }
    return true;
  }

  /** Keeps the best k hits in order[0..k), sorted; each hit is compared with the current k-th. */
  private void topByInsertion(String[] docIds, double[] scores, int k) {
    int size = 0;
    for (int i = 0; i < docIds.length; i++) {
      if (size == k && !before(docIds, scores, i, order[k - 1])) {
        continue;
      }
      int lo = 0;
      int hi = size;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (before(docIds, scores, order[mid], i)) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      int moved = (size == k ? k - 1 : size) - lo;
      System.arraycopy(order, lo, order, lo + 1, moved);
      order[lo] = i;
      if (size < k) {
        size++;
      }
    }
  }

  /** Sorts order[from..to) best first. */
  private void mergeSort(String[] docIds, double[] scores, int from, int to) {
    if (to - from <= 16) {
      for (int i = from + 1; i < to; i++) {
        int hit = order[i];
        int j = i - 1;
        while (j >= from && before(docIds, scores, hit, order[j])) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = hit;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(docIds, scores, from, mid);
    mergeSort(docIds, scores, mid, to);
    if (!before(docIds, scores, order[mid], order[mid - 1])) {
      return; // already in order across the halves
    }
    System.arraycopy(order, from, mergeBuffer, from, mid - from);
    int left = from;
    int right = mid;
    int out = from;
    while (left < mid && right < to) {
      order[out++] =
          before(docIds, scores, order[right], mergeBuffer[left])
              ? order[right++]
              : mergeBuffer[left++];
    }
    while (left < mid) {
      order[out++] = mergeBuffer[left++];
    }
  }

  /**
   * Checks that no document id occurs twice among one query's hits: trec_eval stops with "duplicate
   * docs", and a run that lists a document twice is a bug upstream worth stopping for rather than a
   * tie to break silently. An open-addressing set reused across queries; a slot is taken when its
   * stamp is the current query's, so clearing it costs nothing, and stored hashes spare most
   * String.equals calls. Reading every hit's id is still most of the time evaluation takes on a run
   * of millions of hits (each String a cache miss); if TrecRun guaranteed distinct ids, checked at
   * parse time where they are fresh in cache, this check could go.
   */
  private void requireDistinct(String queryId, String[] docIds) {
    int capacity = Integer.highestOneBit(Math.max(docIds.length, 8)) << 2; // load factor <= 1/2
    if (seenDocs.length < capacity) {
      seenDocs = new String[capacity];
      seenHashes = new int[capacity];
      seenStamps = new int[capacity];
    }
    int stamp = ++currentStamp;
    if (stamp == 0) { // wrapped around after 2^32 queries: old stamps could match again
      Arrays.fill(seenStamps, 0);
      stamp = currentStamp = 1;
    }
    int mask = capacity - 1;
    for (String doc : docIds) {
      int h = doc.hashCode();
      int slot = (h ^ (h >>> 16)) & mask;
      while (seenStamps[slot] == stamp) {
        if (seenHashes[slot] == h && seenDocs[slot].equals(doc)) {
          throw new IllegalArgumentException(
              "run lists document '"
                  + doc
                  + "' more than once for query '"
                  + queryId
                  + "'; trec_eval rejects such a run too (duplicate docs)");
        }
        slot = (slot + 1) & mask;
      }
      seenStamps[slot] = stamp;
      seenHashes[slot] = h;
      seenDocs[slot] = doc;
    }
  }
}
