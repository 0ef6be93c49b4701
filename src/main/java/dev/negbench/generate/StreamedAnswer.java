package dev.negbench.generate;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Reads a streamed (SSE) answer as its bytes arrive, on the HTTP client's own thread: each chunk is
 * timed when it is read off the socket, with no hand-off to another thread per token. The answer
 * ends at {@code [DONE]} or at the end of the body after a {@code finish_reason}; a body that ends
 * with neither was cut ({@link ChatClient#TRUNCATED}). Gives up (and cancels the body) at the
 * request's deadline.
 */
final class StreamedAnswer implements HttpResponse.BodySubscriber<ChatClient.Attempt> {
  private static final ScheduledExecutorService WATCHDOG = watchdog();

  private static ScheduledExecutorService watchdog() {
    var pool =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "negbench-request-deadline");
              t.setDaemon(true);
              return t;
            });
    // Nearly every deadline is cancelled; without this they would pile up until they expire.
    pool.setRemoveOnCancelPolicy(true);
    return pool;
  }

  private final RequestTimer t;
  private final String promptText;
  private final Duration timeout;
  private final CompletableFuture<ChatClient.Attempt> result = new CompletableFuture<>();
  private final SseReader sse = new SseReader();
  private final StringBuilder content = new StringBuilder();
  private Flow.Subscription subscription;
  private ScheduledFuture<?> deadline;
  private String model = "";
  private String finish;
  private JsonNode usage;
  private int chunks;
  private long doneAt = -1;
  private ChatClient.Attempt failure;
  private long now;

  /**
   * @param promptText for the tokenizer, when the server omits usage
   * @param timeout the request's whole time, counted from {@link RequestTimer#start}
   */
  StreamedAnswer(RequestTimer t, String promptText, Duration timeout) {
    this.t = t;
    this.promptText = promptText;
    this.timeout = timeout;
  }

  @Override
  public CompletionStage<ChatClient.Attempt> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    long remaining = timeout.toNanos() - t.elapsedNanos();
    deadline =
        WATCHDOG.schedule(
            () -> {
              if (result.complete(
                  t.fail(
                      ChatClient.TIMEOUT,
                      200,
                      "response not finished within " + timeout.toMillis() + " ms",
                      -1))) {
                s.cancel();
              }
            },
            Math.max(1, remaining),
            TimeUnit.NANOSECONDS);
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    now = System.nanoTime();
    for (ByteBuffer b : items) {
      sse.feed(b, this::event);
    }
    if (failure != null && result.complete(failure)) {
      deadline.cancel(false);
      subscription.cancel();
    }
  }

  @Override
  public void onError(Throwable e) {
    deadline.cancel(false);
    result.complete(t.fail(ChatClient.IO_ERROR, 200, String.valueOf(e), -1));
  }

  @Override
  public void onComplete() {
    deadline.cancel(false);
    if (result.isDone()) {
      return;
    }
    now = System.nanoTime();
    sse.finish(this::event);
    if (failure != null) {
      result.complete(failure);
    } else if (finish == null && doneAt < 0) {
      // Neither a finish_reason nor [DONE]: the stream was cut, the text may be incomplete.
      result.complete(
          t.fail(
              ChatClient.TRUNCATED,
              200,
              "stream ended after " + chunks + " chunks without finish_reason or [DONE]",
              -1));
    } else {
      // The answer ends at [DONE] where one came; the body is read to its end regardless, so
      // the connection goes back to the pool.
      result.complete(
          t.done(
              doneAt > 0 ? doneAt : now,
              content.toString(),
              model,
              finish,
              usage,
              promptText,
              chunks));
    }
  }

  private void event(String data) {
    if (failure != null || doneAt > 0) {
      return;
    }
    if (data.strip().equals("[DONE]")) {
      doneAt = now;
      return;
    }
    StreamChunk chunk;
    try {
      chunk = StreamChunk.parse(data);
    } catch (IOException e) {
      failure =
          t.fail(
              ChatClient.MALFORMED,
              200,
              "stream chunk is not a JSON object: " + e.getMessage(),
              -1);
      return;
    }
    if (chunk.error != null) {
      failure = t.fail(ChatClient.HTTP_RETRYABLE, 200, "error in stream: " + chunk.error, -1);
      return;
    }
    if (model.isEmpty() && chunk.model != null) {
      model = chunk.model;
    }
    if (chunk.usage != null && chunk.usage.isObject()) {
      usage = chunk.usage;
    }
    // Qwen3 and DeepSeek-R1 stream their thinking as reasoning_content: output tokens too.
    if (!chunk.content.isEmpty() || chunk.reasoning) {
      t.token(now);
      chunks++;
      content.append(chunk.content);
    }
    if (chunk.finish != null) {
      finish = chunk.finish;
    }
  }
}
