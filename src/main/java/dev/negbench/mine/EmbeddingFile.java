package dev.negbench.mine;

import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Corpus embeddings inside a stage folder: {@code ids.txt} (one document id a line, row order) and
 * {@code vectors.f32} (little-endian float32 rows). The stage cache makes the pair atomic.
 */
public final class EmbeddingFile {
  public static final String IDS = "ids.txt";
  public static final String VECTORS = "vectors.f32";

  private EmbeddingFile() {}

  public static void write(Path dir, List<String> ids, float[][] vectors) throws IOException {
    Files.write(dir.resolve(IDS), ids);
    int dim = vectors.length == 0 ? 0 : vectors[0].length;
    ByteBuffer buf = ByteBuffer.allocate(Math.max(4, dim * 4)).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(dir.resolve(VECTORS), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (float[] v : vectors) {
        buf.clear();
        buf.asFloatBuffer().put(v);
        buf.limit(dim * 4);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
      ch.force(true);
    }
  }

  public static DenseEmbeddings read(Path dir) {
    try {
      List<String> ids = Files.readAllLines(dir.resolve(IDS));
      byte[] bytes = Files.readAllBytes(dir.resolve(VECTORS));
      if (ids.isEmpty()) {
        return new DenseEmbeddings(new String[0], new float[0][]);
      }
      if (bytes.length % (4 * ids.size()) != 0) {
        throw new DatasetFormatException(dir.resolve(VECTORS), 0, "expected " + ids.size() + " float32 rows, found " + bytes.length + " bytes");
      }
      int dim = bytes.length / 4 / ids.size();
      var floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      float[][] vectors = new float[ids.size()][dim];
      for (float[] v : vectors) {
        floats.get(v);
      }
      return new DenseEmbeddings(ids.toArray(String[]::new), vectors);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read embeddings in " + dir, e);
    }
  }
}
