package io.checkpointd.api;

import static io.checkpointd.support.Jobs.awaitStatus;
import static io.checkpointd.support.Jobs.squaresUpTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** A long job keeps its newest checkpoints and a sparse history of milestones from its start. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class MilestonesTest {

  private static final int KEEP = 3;

  @Test
  void a_long_job_keeps_its_newest_checkpoints_and_milestones_thinned_from_its_start() {
    String id = Jobs.create("{\"kind\":\"squares\",\"params\":{\"limit\":90,\"delayMs\":0},\"checkpoint\":"
        + "{\"everyIterations\":1,\"retainAfterSuccess\":true,\"milestoneEvery\":3,\"milestones\":4}}");
    JsonPath done = awaitStatus(id, "SUCCEEDED");
    assertThat(done.getInt("checkpoint.milestoneEvery")).isEqualTo(3);
    assertThat(done.getInt("checkpoint.milestones")).isEqualTo(4);
    long newest = done.getLong("lastCheckpoint.seq");
    assertThat(newest).isGreaterThan(40);

    List<Map<String, Object>> listed = checkpoints(id);
    TreeSet<Long> seqs = new TreeSet<>();
    TreeSet<Long> milestones = new TreeSet<>();
    for (Map<String, Object> c : listed) {
      long seq = ((Number) c.get("seq")).longValue();
      seqs.add(seq);
      if (Boolean.TRUE.equals(c.get("milestone"))) {
        milestones.add(seq);
      }
    }
    // exactly what the README's rule gives for checkpoints 1..newest
    Model model = Model.run(newest, KEEP, 3, 4);
    assertThat(milestones).containsExactlyElementsOf(model.milestones);
    assertThat(seqs).containsExactlyElementsOf(model.all());
    // what a user relies on, whatever the rule's details
    assertThat(seqs).contains(newest, newest - 1, newest - 2);
    assertThat(milestones).hasSizeLessThanOrEqualTo(4).contains(3L);
    List<Long> m = new ArrayList<>(milestones);
    for (int i = 2; i < m.size(); i++) {
      assertThat(m.get(i) - m.get(i - 1)).as("evenly spaced: %s", m).isEqualTo(m.get(1) - m.get(0));
    }

    // a milestone is a checkpoint like any other: read, diffed and forked from
    long first = m.get(0);
    given().get("/jobs/" + id + "/checkpoints/" + first).then().statusCode(200).body("intact", org.hamcrest.Matchers.equalTo(true));
    String child = given().contentType(ContentType.JSON).body("{\"fromSeq\":" + first + "}")
        .post("/jobs/" + id + "/fork").then().statusCode(201).extract().path("id");
    assertThat(awaitStatus(child, "SUCCEEDED").getList("result.data", Long.class)).isEqualTo(squaresUpTo(90));
  }

  @Test
  void milestones_stay_within_the_byte_budget() {
    long budget = ConfigProvider.getConfig().getValue("checkpointd.checkpoints.milestone-bytes", Long.class);
    String id = Jobs.create("{\"kind\":\"squares\",\"params\":{\"limit\":4000,\"delayMs\":0},\"checkpoint\":"
        + "{\"everyIterations\":20,\"retainAfterSuccess\":true,\"milestoneEvery\":2,\"milestones\":100}}");
    awaitStatus(id, "SUCCEEDED");
    List<Map<String, Object>> listed = checkpoints(id);
    long milestoneBytes = 0;
    List<Long> milestones = new ArrayList<>();
    for (Map<String, Object> c : listed) {
      if (Boolean.TRUE.equals(c.get("milestone"))) {
        milestoneBytes += ((Number) c.get("sizeBytes")).longValue();
        milestones.add(((Number) c.get("seq")).longValue());
      }
    }
    // the states grow to ~30 KB, so the budget, not the count, thins them; the first stays
    assertThat(milestoneBytes).isPositive().isLessThanOrEqualTo(budget);
    assertThat(milestones).contains(2L).hasSizeGreaterThan(1).hasSizeLessThan(100);
  }

  @Test
  void omitted_milestones_are_the_services_defaults_and_bad_ones_are_400_problems() {
    String id = Jobs.squares(3, 0, 1);
    JsonPath job = Jobs.get(id);
    assertThat(job.getInt("checkpoint.milestoneEvery"))
        .isEqualTo(ConfigProvider.getConfig().getValue("checkpointd.checkpoints.milestone-every", Integer.class));
    assertThat(job.getInt("checkpoint.milestones"))
        .isEqualTo(ConfigProvider.getConfig().getValue("checkpointd.checkpoints.milestones", Integer.class));

    given().contentType(ContentType.JSON)
        .body("{\"kind\":\"squares\",\"params\":{\"limit\":3},\"checkpoint\":{\"milestones\":101}}")
        .post("/jobs").then().statusCode(400).contentType("application/problem+json")
        .body("detail", containsString("milestones"));
    given().contentType(ContentType.JSON)
        .body("{\"kind\":\"squares\",\"params\":{\"limit\":3},\"checkpoint\":{\"milestoneEvery\":-1}}")
        .post("/jobs").then().statusCode(400).contentType("application/problem+json")
        .body("detail", containsString("milestoneEvery"));
    // 0 turns them off
    String none = Jobs.create("{\"kind\":\"squares\",\"params\":{\"limit\":3,\"delayMs\":0},\"checkpoint\":{\"milestones\":0}}");
    assertThat(Jobs.get(none).getInt("checkpoint.milestones")).isZero();
  }

  private static List<Map<String, Object>> checkpoints(String id) {
    return given().get("/jobs/" + id + "/checkpoints").then().statusCode(200).extract().jsonPath().getList("$");
  }

  /** The retention rule as the README states it, applied to checkpoints 1..newest in order. */
  private record Model(TreeSet<Long> ring, TreeSet<Long> milestones) {

    static Model run(long newest, int keep, int every, int most) {
      long[] slots = new long[keep];
      List<Long> ms = new ArrayList<>();
      for (long q = 1; q <= newest; q++) {
        boolean milestone = false;
        if (q % every == 0) {
          // full and due: drop every second milestone, keep the first, while it stays so
          while (!ms.isEmpty() && ms.size() >= most && q >= last(ms) + spacing(ms, every)) {
            List<Long> thinned = new ArrayList<>();
            for (int i = 0; i < ms.size(); i += 2) {
              thinned.add(ms.get(i));
            }
            if (thinned.size() == ms.size()) {
              break;
            }
            ms = thinned;
          }
          milestone = ms.isEmpty() || (ms.size() < most && q >= last(ms) + spacing(ms, every));
        }
        if (milestone) {
          ms.add(q);
        } else {
          slots[(int) (q % keep)] = q;
        }
      }
      TreeSet<Long> ring = new TreeSet<>();
      for (long s : slots) {
        if (s > 0) {
          ring.add(s);
        }
      }
      return new Model(ring, new TreeSet<>(ms));
    }

    private static long last(List<Long> ms) {
      return ms.get(ms.size() - 1);
    }

    private static long spacing(List<Long> ms, int every) {
      return ms.size() > 1 ? (last(ms) - ms.get(0)) / (ms.size() - 1) : every;
    }

    TreeSet<Long> all() {
      TreeSet<Long> all = new TreeSet<>(ring);
      all.addAll(milestones);
      return all;
    }
  }
}
