package dev.negbench.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.Json;

/**
 * The JSON body of one {@code POST /v1/chat/completions}: the profile's model, the system and user
 * messages, its sampling (a null field is left out), {@code response_format} for JSON answers,
 * {@code stream} with {@code stream_options.include_usage} for streamed ones, and the profile's
 * {@code extra_body} fields last, so they can override any of these.
 */
final class ChatRequestBody {
  private ChatRequestBody() {}

  /** The request body for one prompt, as bytes ready to send. */
  static byte[] of(GeneratorProfile profile, PromptTemplate.Messages messages) {
    ObjectNode body = Json.PLAIN.createObjectNode();
    body.put("model", profile.model());
    ArrayNode msgs = body.putArray("messages");
    if (!messages.system().isEmpty()) {
      msgs.addObject().put("role", "system").put("content", messages.system());
    }
    msgs.addObject().put("role", "user").put("content", messages.user());
    putSampling(body, profile.sampling());
    if (profile.jsonResponse()) {
      body.putObject("response_format").put("type", "json_object");
    }
    if (profile.stream()) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    profile.extraBody().properties().forEach(e -> body.set(e.getKey(), e.getValue()));
    try {
      return Json.PLAIN.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The sampling fields of a request body; null ones are left out. */
  static void putSampling(ObjectNode body, GeneratorProfile.Sampling s) {
    if (s.temperature() != null) {
      body.put("temperature", s.temperature());
    }
    if (s.topP() != null) {
      body.put("top_p", s.topP());
    }
    if (s.topK() != null) {
      body.put("top_k", s.topK());
    }
    if (s.minP() != null) {
      body.put("min_p", s.minP());
    }
    body.put("max_tokens", s.maxTokens());
    if (s.seed() != null) {
      body.put("seed", s.seed());
    }
  }
}
