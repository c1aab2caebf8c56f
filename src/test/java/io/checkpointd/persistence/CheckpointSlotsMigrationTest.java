package io.checkpointd.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.embedded.EmbeddedPostgresLauncher;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upgrading a database whose checkpoints were written one row per seq (V1–V4) to the ring of
 * slots (V5): every job keeps its checkpoints, each in a slot of its own.
 */
class CheckpointSlotsMigrationTest {

  private static EmbeddedPostgres postgres;
  private static DataSource db;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgresLauncher.start(Files.createTempDirectory("checkpointd-migration-pg"), 0);
    db = postgres.getPostgresDatabase();
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @Test
  void checkpoints_written_before_the_slots_survive_the_upgrade() throws Exception {
    flyway("4").migrate();
    execute("insert into job (id, kind, params, status, total, last_checkpoint_seq)"
        + " values ('00000000-0000-0000-0000-00000000000a', 'squares', '{}', 'PAUSED', 100, 9),"
        + " ('00000000-0000-0000-0000-00000000000b', 'squares', '{}', 'RUNNING', 100, 2)");
    // job a kept seqs 7, 8 and 9 (keep = 3); job b had written two
    execute("insert into checkpoint (job_id, seq, iteration, state_version, state, size_bytes, checksum)"
        + " select '00000000-0000-0000-0000-00000000000a'::uuid, s, s * 5, 1, '\\x7b7d'::bytea, 2, 'x' from generate_series(7, 9) s"
        + " union all select '00000000-0000-0000-0000-00000000000b'::uuid, s, s * 5, 1, '\\x7b7d'::bytea, 2, 'x' from generate_series(1, 2) s");

    flyway(null).migrate();

    assertThat(rows("select job_id::text || ' ' || seq || ' ' || iteration || ' slot ' || slot from checkpoint"
        + " order by job_id, seq")).containsExactly(
            "00000000-0000-0000-0000-00000000000a 7 35 slot 0",
            "00000000-0000-0000-0000-00000000000a 8 40 slot 1",
            "00000000-0000-0000-0000-00000000000a 9 45 slot 2",
            "00000000-0000-0000-0000-00000000000b 1 5 slot 0",
            "00000000-0000-0000-0000-00000000000b 2 10 slot 1");
    // one row per slot from now on
    assertThat(rows("select string_agg(a.attname, ', ' order by array_position(i.indkey, a.attnum)) from pg_index i"
        + " join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)"
        + " where i.indrelid = 'checkpoint'::regclass and i.indisprimary")).containsExactly("job_id, slot");
  }

  private static Flyway flyway(String target) {
    var config = Flyway.configure().dataSource(db).locations("classpath:db/migration");
    return (target == null ? config : config.target(target)).load();
  }

  private static void execute(String sql) throws Exception {
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static List<String> rows(String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }
}
