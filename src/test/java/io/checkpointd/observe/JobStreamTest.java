package io.checkpointd.observe;

import static io.checkpointd.support.Jobs.awaitStatus;
import static io.checkpointd.support.Jobs.squares;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class JobStreamTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TestHTTPResource("/")
  URL base;

  /** One SSE frame: its event name, id (or null) and data. */
  record Frame(String event, String id, String data) {}

  @Test
  void a_jobs_stream_brings_its_progress_its_checkpoints_and_its_end_in_order_then_closes() throws Exception {
    // 40 iterations of 50 ms, a checkpoint every 5: about 2 s of progress to watch
    String id = squares(40, 50, 5);
    List<Frame> frames = read("/jobs/" + id + "/stream", null, Duration.ofSeconds(60));

    List<String> seen = new ArrayList<>();
    for (Frame f : frames) {
      JsonNode data = JSON.readTree(f.data());
      if (f.event().equals("progress")) {
        data.forEach(e -> seen.add(e.get("type").asText() + "@" + e.get("iteration").asLong()));
      } else {
        assertThat(f.id()).as("status changes carry their history id").isNotBlank();
        assertThat(data.get("jobId").asText()).isEqualTo(id);
        seen.add(data.get("type").asText());
      }
    }
    assertThat(seen).as("the stream, in order").startsWith("CREATED").endsWith("SUCCEEDED");
    assertThat(seen).anyMatch(s -> s.startsWith("CHECKPOINTED@")).anyMatch(s -> s.startsWith("PROGRESS@"));
    int started = seen.indexOf("STARTED");
    int firstCheckpoint = indexOfPrefix(seen, "CHECKPOINTED@");
    assertThat(started).isGreaterThan(0).isLessThan(firstCheckpoint);
    // checkpoints arrive in seq order, iterations only go up
    List<Long> checkpointed = seen.stream().filter(s -> s.startsWith("CHECKPOINTED@"))
        .map(s -> Long.parseLong(s.substring(13))).toList();
    assertThat(checkpointed).isSorted();
    assertThat(checkpointed.get(checkpointed.size() - 1)).isLessThanOrEqualTo(40);
    JsonNode last = JSON.readTree(frames.get(frames.size() - 1).data());
    assertThat(last.at("/job/status").asText()).isEqualTo("SUCCEEDED");
    assertThat(last.at("/job/result/data").size()).isEqualTo(40);
  }

  @Test
  void after_a_reconnect_with_last_event_id_only_what_came_after_is_replayed() throws Exception {
    String id = squares(3, 0, 1);
    awaitStatus(id, "SUCCEEDED");
    List<Frame> all = read("/jobs/" + id + "/stream", null, Duration.ofSeconds(20));
    List<Frame> stored = all.stream().filter(f -> f.id() != null).toList();
    assertThat(stored).hasSizeGreaterThanOrEqualTo(3); // CREATED, STARTED, SUCCEEDED

    List<Frame> after = read("/jobs/" + id + "/stream", stored.get(0).id(), Duration.ofSeconds(20));
    assertThat(after.stream().map(Frame::id).toList())
        .isEqualTo(stored.subList(1, stored.size()).stream().map(Frame::id).toList());
  }

  @Test
  void the_all_jobs_stream_shows_a_new_job_of_its_kind_and_not_others() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "jobs/stream?kind=squares"))
        .header("Accept", "text/event-stream").build();
    HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      Thread.sleep(300); // connected and registered
      String other = io.checkpointd.support.Jobs.create("{\"kind\":\"pi\",\"params\":{\"samples\":1000}}");
      String mine = squares(2, 0, 1);
      CompletableFuture<List<String>> jobs = CompletableFuture.supplyAsync(() -> {
        List<String> ids = new ArrayList<>();
        frames(reader, f -> {
          if (f.event().equals("job")) {
            ids.add(JSON.readTree(f.data()).get("jobId").asText());
          }
          return !ids.contains(mine);
        });
        return ids;
      });
      List<String> ids = jobs.get(30, TimeUnit.SECONDS);
      assertThat(ids).contains(mine).doesNotContain(other);
    }
  }

  private static int indexOfPrefix(List<String> list, String prefix) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  /** Reads a stream until the server ends it. */
  private List<Frame> read(String path, String lastEventId, Duration timeout) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path.substring(1)))
        .timeout(timeout).header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<java.io.InputStream> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    List<Frame> frames = new ArrayList<>();
    CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        frames(reader, f -> frames.add(f));
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return frames;
  }

  interface FrameHandler {
    boolean accept(Frame frame) throws Exception;
  }

  /** Parses frames until the stream ends or {@code handler} returns false. */
  static void frames(BufferedReader reader, FrameHandler handler) {
    try {
      String event = "message";
      String id = null;
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isEmpty()) {
          if (data.length() > 0 && !handler.accept(new Frame(event, id, data.toString()))) {
            return;
          }
          event = "message";
          id = null;
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }
}
