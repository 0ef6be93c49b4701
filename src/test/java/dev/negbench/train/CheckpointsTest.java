package dev.negbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding, refusing and removing checkpoints from hand-written {@code state.json} files; {@link
 * TrainerTest} and {@link CrossEncoderTrainingTest} cover {@link Checkpoints#save} and {@link
 * Checkpoints.Resume#restore} on real models.
 */
class CheckpointsTest {
  private static final ObjectNode IDENTITY = Json.PLAIN.createObjectNode().put("model", "m");

  private static void state(Path dir, ObjectNode identity) throws IOException {
    ObjectNode state = Json.PLAIN.createObjectNode();
    state.set("inputs", identity);
    state.put("step", 4).put("first_loss", 2.5).put("last_loss", 1.25).put("seconds", 9.5);
    Files.createDirectories(dir);
    TrainingJson.write(dir.resolve("state.json"), state);
  }

  @Test
  void withoutACheckpointARunStartsFromScratch(@TempDir Path tmp) {
    Checkpoints c = new Checkpoints(tmp, IDENTITY, 10, 32);
    assertSame(Checkpoints.Resume.NONE, c.resume());
    assertEquals("minilm", c.resume().modelOr("minilm"));
    assertEquals("no checkpoint was written", c.whatIsLeft());
  }

  @Test
  void resumesFromTheCheckpointOrTheOldOneAfterACrashBetweenRenames(@TempDir Path tmp)
      throws IOException {
    Checkpoints c = new Checkpoints(tmp, IDENTITY, 10, 32);
    state(c.old(), IDENTITY);
    Checkpoints.Resume r = c.resume();
    assertEquals(c.old(), r.checkpoint());
    assertEquals(new TrainingPosition(4, 2.5, 1.25), r.position());
    assertEquals(9.5, r.seconds());
    assertEquals(c.old().toString(), r.modelOr("minilm"));

    state(c.dir(), IDENTITY);
    assertEquals(c.dir(), c.resume().checkpoint());
    assertTrue(c.whatIsLeft().contains(c.dir().toString()), c.whatIsLeft());
    c.remove();
    assertFalse(Files.exists(c.dir()) || Files.exists(c.old()));
  }

  @Test
  void refusesACheckpointOfOtherInputs(@TempDir Path tmp) throws IOException {
    Checkpoints c = new Checkpoints(tmp, IDENTITY, 10, 32);
    state(c.dir(), Json.PLAIN.createObjectNode().put("model", "other"));
    var e = assertThrows(IllegalArgumentException.class, c::resume);
    assertTrue(
        e.getMessage().contains("other inputs") && e.getMessage().contains(c.dir().toString()),
        e.getMessage());
  }
}
