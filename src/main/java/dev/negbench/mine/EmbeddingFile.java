package dev.negbench.mine;

import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Corpus embeddings inside a stage folder: {@code ids.txt} (one document id a line, row order),
 * {@code vectors.f32} (little-endian float32 rows) and {@code dim.txt} (the row width). The stage
 * cache makes the three atomic; rows are appended as they are encoded and read back through a
 * memory mapping, so neither side holds a corpus-sized array.
 */
public final class EmbeddingFile implements AutoCloseable {
  public static final String IDS = "ids.txt";
  public static final String VECTORS = "vectors.f32";
  public static final String DIM = "dim.txt";

  private final Path dir;
  private final FileChannel channel;
  private int dim = -1;
  private long rows;

  private EmbeddingFile(Path dir, FileChannel channel) {
    this.dir = dir;
    this.channel = channel;
  }

  /** Starts {@code dir/vectors.f32}; {@link #append} rows, then {@link #finish} with their ids. */
  public static EmbeddingFile create(Path dir) throws IOException {
    return new EmbeddingFile(
        dir,
        FileChannel.open(
            dir.resolve(VECTORS), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
  }

  public void append(float[][] vectors) throws IOException {
    for (float[] v : vectors) {
      if (dim < 0) {
        dim = v.length;
      } else if (v.length != dim) {
        throw new IllegalArgumentException(
            "row " + rows + " has " + v.length + " dimensions, the rows before " + dim);
      }
      rows++;
    }
    DenseEmbeddings.writeRows(vectors, channel);
  }

  /** Writes the ids (one per row appended) and the dimension, and forces the rows to disk. */
  public void finish(List<String> ids) throws IOException {
    if (ids.size() != rows) {
      throw new IllegalArgumentException(ids.size() + " ids for " + rows + " rows");
    }
    channel.force(true);
    Files.write(dir.resolve(IDS), ids);
    Files.writeString(dir.resolve(DIM), Math.max(0, dim) + "\n");
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /**
   * Maps the embeddings of {@code dir}. A file that does not hold ids x dim float32 fails with the
   * file named (exit 2). A folder written before {@code dim.txt} existed has its width inferred.
   */
  public static DenseEmbeddings read(Path dir) {
    Path vectors = dir.resolve(VECTORS);
    try {
      List<String> ids = Files.readAllLines(dir.resolve(IDS));
      if (ids.isEmpty()) {
        return new DenseEmbeddings(new String[0], new float[0][]);
      }
      int dim;
      if (Files.exists(dir.resolve(DIM))) {
        String text = Files.readString(dir.resolve(DIM)).strip();
        try {
          dim = Integer.parseInt(text);
        } catch (NumberFormatException e) {
          throw new DatasetFormatException(
              dir.resolve(DIM), 1, "expected the embedding dimension, found '" + text + "'");
        }
      } else {
        long bytes = Files.size(vectors);
        if (bytes % (4L * ids.size()) != 0) {
          throw new DatasetFormatException(
              vectors, 0, "expected " + ids.size() + " float32 rows, found " + bytes + " bytes");
        }
        dim = (int) (bytes / 4 / ids.size());
      }
      return DenseEmbeddings.map(vectors, ids.toArray(String[]::new), dim);
    } catch (NoSuchFileException e) {
      throw new DatasetFormatException(Path.of(e.getFile()), 0, "file not found");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read embeddings in " + dir, e);
    }
  }
}
