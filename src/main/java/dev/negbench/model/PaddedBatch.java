package dev.negbench.model;

import java.util.List;

/**
 * Encodings padded to the longest of them, flattened row-major ({@code rows x length}) as ONNX
 * Runtime takes them: pad id 0, type id 0, mask 0 (BERT's [PAD] is 0, and the mask hides it).
 */
public record PaddedBatch(int rows, int length, long[] ids, long[] typeIds, long[] mask) {
  public static PaddedBatch of(List<Encoding> encodings) {
    int rows = encodings.size();
    int length = 0;
    for (Encoding e : encodings) {
      length = Math.max(length, e.length());
    }
    long[] ids = new long[rows * length];
    long[] typeIds = new long[rows * length];
    long[] mask = new long[rows * length];
    for (int r = 0; r < rows; r++) {
      Encoding e = encodings.get(r);
      System.arraycopy(e.ids(), 0, ids, r * length, e.length());
      System.arraycopy(e.typeIds(), 0, typeIds, r * length, e.length());
      System.arraycopy(e.mask(), 0, mask, r * length, e.length());
    }
    return new PaddedBatch(rows, length, ids, typeIds, mask);
  }

  public long[] shape() {
    return new long[] {rows, length};
  }
}
