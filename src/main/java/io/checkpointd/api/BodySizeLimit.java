package io.checkpointd.api;

import io.checkpointd.config.CheckpointdConfig;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses a request body over {@code checkpointd.max-body-bytes} with a problem document.
 *
 * <p>Why on the Vert.x router and not in a REST filter: the HTTP layer's own limit
 * ({@code quarkus.http.limits.max-body-size}) answers a bare 413 with no body from a route of order
 * -2, before any REST filter runs, and so does the REST layer for a chunked body that outgrows it.
 * This route runs first: a declared length is judged at once, and every body, chunked or not, is
 * read here up to the limit, so the REST layer gets it whole or never.
 *
 * <p>Every body within the limit is read here, on the event loop, before the REST layer runs. Why:
 * a blocking endpoint's body is otherwise read on its worker thread through a blocking stream that
 * waits on the event loop for each part; for POST /jobs that waiting was 8% of the service's CPU.
 * A body is held in memory either way, as Jackson reads it whole.
 */
@ApplicationScoped
public class BodySizeLimit {

  /** Before Quarkus's own limit (order -2). */
  private static final int ORDER = -3;

  private static final String REFUSED = "checkpointd.body-refused";

  /** How long a refused body is read and dropped before the connection is closed anyway. */
  private static final long LINGER_MILLIS = 2_000;

  /** How much of a refused body is read and dropped before the connection is closed anyway. */
  private static final long LINGER_BYTES = 64L * 1024 * 1024;

  void install(@Observes Router router, CheckpointdConfig config) {
    long maxBytes = config.maxBodyBytes();
    BodyHandler whole = BodyHandler.create(false).setBodyLimit(maxBytes);
    router.route().order(ORDER)
        .handler(ctx -> {
          String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
          long declared = length == null ? -1 : declaredLength(length);
          if (declared > maxBytes) {
            refuse(ctx, maxBytes, "the request body has " + length + " bytes");
          } else if (declared > 0 || ctx.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            ctx.request().resume();
            whole.handle(ctx);
          } else {
            ctx.next();
          }
        })
        .failureHandler(ctx -> {
          if (ctx.get(REFUSED) != null) {
            // Closing the connection under an unread body fails the request once more: answered already.
            return;
          }
          if (ctx.statusCode() == 413) {
            refuse(ctx, maxBytes, "the request body is larger");
          } else {
            ctx.next();
          }
        });
  }

  private static long declaredLength(String header) {
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static void refuse(RoutingContext ctx, long maxBytes, String what) {
    String json = Problems.problemJson(413, "body-too-large", "Request body too large",
        what + "; at most " + maxBytes + " are accepted", ctx.normalizedPath());
    ctx.put(REFUSED, Boolean.TRUE);
    lingerThenClose(ctx);
    ctx.response()
        .setStatusCode(413)
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(json);
  }

  /**
   * Reads and drops the rest of the refused body before closing the connection (a lingering close,
   * as web servers do). Closing a socket with unread bytes makes the kernel send a reset, which can
   * throw away the 413 answer before the client has read it: the client then sees no answer at all.
   * The discarding is bounded in bytes and in time, so a client that keeps sending cannot hold it.
   */
  private static void lingerThenClose(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpConnection connection = request.connection();
    AtomicBoolean closed = new AtomicBoolean();
    Runnable close = () -> {
      if (closed.compareAndSet(false, true)) {
        connection.close();
      }
    };
    long timer = ctx.vertx().setTimer(LINGER_MILLIS, id -> close.run());
    connection.closeHandler(v -> ctx.vertx().cancelTimer(timer));
    if (request.isEnded()) {
      ctx.response().endHandler(v -> close.run());
      return;
    }
    AtomicLong discarded = new AtomicLong();
    try {
      request.handler(chunk -> {
        if (discarded.addAndGet(chunk.length()) > LINGER_BYTES) {
          close.run();
        }
      });
      // The answer is already on its way; once the client has sent everything it reads it, then closes.
      // By then the answer is usually written in full, and a written response takes no end handler.
      request.endHandler(v -> {
        if (ctx.response().ended()) {
          close.run();
        } else {
          ctx.response().endHandler(done -> close.run());
        }
      });
      request.resume();
    } catch (IllegalStateException alreadyRead) {
      ctx.response().endHandler(v -> close.run());
    }
  }
}
