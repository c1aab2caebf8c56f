package io.checkpointd.api;

import io.checkpointd.auth.ApiKeys;
import io.checkpointd.auth.MetricsKey;
import io.checkpointd.auth.Roles;
import io.checkpointd.persistence.DatabaseUnavailable;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * With a metrics key configured, {@code /q/metrics} answers only to it or to an admin API key.
 * Health stays open: probes carry no key.
 *
 * <p>Why a route here and not {@code @RolesAllowed} or an HTTP permission: the metrics endpoint is
 * Micrometer's Vert.x route, which REST annotations never see; and a permission's refusals are
 * bare challenges without a problem document, while an open service's identity holds every role,
 * admin included, so a role check would let anyone through. This route runs before Micrometer's
 * and answers 401/403 problems itself, as {@link SecurityProblems} does for the API.
 */
@ApplicationScoped
public class MetricsAccess {

  private static final Logger LOG = Logger.getLogger(MetricsAccess.class);

  /** Quarkus's non-application root ({@code /q}) and Micrometer's Prometheus path ({@code metrics}). */
  static final String PATH = "/q/metrics";

  /** Before Micrometer's route and before the body limits: a refusal reads nothing. */
  private static final int ORDER = -10;

  private static final String CHALLENGE = "Bearer realm=\"checkpointd\"";

  void install(@Observes Router router, MetricsKey metricsKey, ApiKeys keys) {
    if (!metricsKey.isSet()) {
      return; // open, as before: no route, no cost
    }
    router.route(PATH + "*").order(ORDER).handler(ctx -> check(ctx, metricsKey, keys));
  }

  private static void check(RoutingContext ctx, MetricsKey metricsKey, ApiKeys keys) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
      refuse(ctx, 401, "unauthorized", "Authentication required",
          "metrics need a key: send 'Authorization: Bearer <key>' with the metrics key or an admin API key");
      return;
    }
    String key = header.substring(7).trim();
    if (metricsKey.matches(key)) {
      ctx.next();
      return;
    }
    // an API key may need a lookup in the database: off the event loop
    ctx.vertx().<Optional<ApiKeys.KeyHolder>>executeBlocking(() -> keys.check(key), false).onComplete(checked -> {
      if (checked.failed()) {
        unavailable(ctx, checked.cause());
      } else if (checked.result().isEmpty()) {
        refuse(ctx, 401, "unauthorized", "Authentication required",
            "the key is neither the metrics key nor an API key in force");
      } else if (!checked.result().get().roles().contains(Roles.ADMIN)) {
        refuse(ctx, 403, "forbidden", "Not allowed for this key",
            "this key's roles do not allow " + PATH + ": metrics need the metrics key or an admin key");
      } else {
        ctx.next();
      }
    });
  }

  private static void unavailable(RoutingContext ctx, Throwable cause) {
    if (!DatabaseUnavailable.is(cause)) {
      LOG.error("Unexpected error checking a key for " + PATH, cause);
      refuse(ctx, 500, "internal-error", "Internal error", "the service failed to check the key; the error is in its log");
      return;
    }
    LOG.warnf("Database unavailable checking a key for %s: %s", PATH, cause.getMessage());
    int retryAfter = ProblemMappers.RETRY_AFTER_SECONDS;
    ctx.response().putHeader("Retry-After", Integer.toString(retryAfter));
    refuse(ctx, 503, "database-unavailable", "Service unavailable",
        "the database is unavailable or busy; retry after " + retryAfter + " s");
  }

  private static void refuse(RoutingContext ctx, int status, String type, String title, String detail) {
    if (status == 401) {
      ctx.response().putHeader("WWW-Authenticate", CHALLENGE);
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .end(Problems.problemJson(status, type, title, detail, ctx.normalizedPath()));
  }
}
