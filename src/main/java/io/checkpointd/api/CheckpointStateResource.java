package io.checkpointd.api;

import io.checkpointd.auth.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.checkpointd.job.StatePage;
import io.checkpointd.job.StatePager;
import io.checkpointd.kind.InvalidParamsException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A page of a checkpoint's state, for states too large to show whole: the value at a JSON Pointer,
 * an array's elements or an object's members in pages, each page within the response byte budget.
 */
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
@Path("/jobs/{id}/checkpoints/{seq: [0-9]+}/state")
@Produces(MediaType.APPLICATION_JSON)
public class CheckpointStateResource {

  private final StatePager pager;

  private final SecurityIdentity identity;

  CheckpointStateResource(StatePager pager, SecurityIdentity identity) {
    this.pager = pager;
    this.identity = identity;
  }

  /** {@link StatePage} as clients read it, with the link to the next page ({@code next}, absent on the last). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StatePageView(
      long seq, String at, String type, Integer size, Integer offset, Integer limit, JsonNode items, JsonNode value,
      List<String> omitted, String next) {

    static StatePageView of(StatePage p, String next) {
      return new StatePageView(p.seq(), p.at(), p.type(), p.size(), p.offset(), p.limit(), p.items(), p.value(), p.omitted(), next);
    }
  }

  @GET
  public StatePageView page(
      @PathParam("id") String id,
      @PathParam("seq") long seq,
      @QueryParam("at") String at,
      @QueryParam("offset") String offset,
      @QueryParam("limit") String limit) {
    StatePage page = pager.page(Callers.of(identity), id, seq, at, number("offset", offset, 0), number("limit", limit, StatePager.DEFAULT_LIMIT));
    String next = page.nextOffset() == null ? null
        : "/jobs/" + id + "/checkpoints/" + seq + "/state?at=" + URLEncoder.encode(page.at(), StandardCharsets.UTF_8)
            + "&offset=" + page.nextOffset() + "&limit=" + page.limit();
    return StatePageView.of(page, next);
  }

  private static int number(String name, String value, int absent) {
    if (value == null) {
      return absent;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new InvalidParamsException(name, "must be an integer, was " + value);
    }
  }
}
