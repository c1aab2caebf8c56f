package io.checkpointd.observe;

import static io.checkpointd.support.Jobs.squares;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.BufferedReader;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A running job's live stream shows it move a few times a second, as the README says, with the
 * heartbeat at its deployed interval (3 s), not the tests' usual 500 ms: progress reaches live views
 * from memory, not only when the heartbeat writes it.
 */
@QuarkusTest
@TestProfile(LiveProgressTest.DeployedHeartbeat.class)
@WithTestResource(EmbeddedPostgresResource.class)
class LiveProgressTest {

  public static class DeployedHeartbeat implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("checkpointd.lease.heartbeat-interval", "3s");
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  @TestHTTPResource("/")
  URL base;

  @Test
  void a_running_jobs_stream_shows_its_progress_a_few_times_a_second_between_heartbeats() throws Exception {
    // 30 iterations of 100 ms and no checkpoint until the end: about 3 s, one heartbeat at most
    String id = squares(30, 100, 1000);
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "jobs/" + id + "/stream"))
        .timeout(Duration.ofSeconds(60)).header("Accept", "text/event-stream").build();
    HttpResponse<java.io.InputStream> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8); // ends with the job
    // only the fields SSE defines: no 'content-type:' line inside the events
    assertThat(text.lines()).isNotEmpty().allMatch(l -> l.isEmpty() || l.matches("^(event|id|data|retry)?:.*"));
    SortedSet<Long> progress = new TreeSet<>();
    try (BufferedReader reader = new BufferedReader(new StringReader(text))) {
      JobStreamTest.frames(reader, frame -> {
        JsonNode data = JSON.readTree(frame.data());
        if (frame.event().equals("progress")) {
          data.forEach(e -> {
            if (e.get("type").asText().equals("PROGRESS")) {
              progress.add(e.get("iteration").asLong());
            }
          });
        }
        return true; // until the server ends the stream, at the job's end
      });
    }
    // at 250 ms about 12 positions; from the 3 s heartbeat alone, one or two
    assertThat(progress).as("distinct iterations the stream showed while the job ran").hasSizeGreaterThanOrEqualTo(5);
    assertThat(progress.last()).isLessThanOrEqualTo(30);
  }
}
