package io.checkpointd.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.embedded.EmbeddedPostgresLauncher;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade runs the previous release beside this one on this one's schema. Every statement
 * the previous release sends (the corpus recorded from its test suite, see
 * src/test/resources/upgrade/record-statements.sh) must still be accepted by PostgreSQL after all
 * of this release's migrations: a migration that drops or renames a column, a table or a key the
 * previous release still uses fails here, naming the statement and PostgreSQL's reason.
 *
 * <p>PostgreSQL parses, analyses and plans each statement without running it: pgjdbc's
 * {@code getParameterMetaData} sends Parse and Describe only. Unknown tables, columns, types,
 * functions and ON CONFLICT targets without a matching unique index are all found at that stage.
 */
class PreviousReleaseStatementsTest {

  static final String CORPUS = "/upgrade/previous-release-statements.sql";

  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgresLauncher.start(Files.createTempDirectory("checkpointd-upgrade-pg"), 0);
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @Test
  void every_statement_of_the_previous_release_runs_on_the_newest_schema() throws Exception {
    List<String> corpus = corpus();
    // the corpus is the recorded suite, not a sample: the job table's claim and the checkpoints'
    // group commit are always in it
    assertThat(corpus).hasSizeGreaterThan(40);
    assertThat(corpus).anyMatch(s -> s.startsWith("insert into checkpoint"));

    DataSource db = migratedDatabase("upgrade_newest", null);

    assertThat(refused(db, corpus))
        .as("statements of the previous release that this release's schema refuses: a migration removed"
            + " or changed what they use. Expand/contract: remove it in the release after the one that"
            + " stopped using it (README, Upgrading)")
        .isEmpty();
  }

  @Test
  void a_column_the_previous_release_reads_dropped_is_caught_with_the_statements_that_read_it() throws Exception {
    List<String> corpus = corpus();
    // the schema the corpus was recorded on, so that this proves the check, whatever later
    // migrations do
    DataSource db = migratedDatabase("upgrade_contracted", previousSchemaVersion());
    assertThat(refused(db, corpus)).isEmpty();
    // what V6 did to the release before it
    execute(db, "alter table job drop column requested");

    List<String> refused = refused(db, corpus);

    long readers = corpus.stream().filter(s -> Pattern.compile("\\brequested\\b").matcher(s).find()).count();
    assertThat(readers).isPositive();
    assertThat(refused).hasSize((int) readers);
    assertThat(refused).allSatisfy(r -> assertThat(r).contains("column").contains("requested").contains("does not exist"));
  }

  @Test
  void columns_added_to_the_previous_releases_tables_let_its_inserts_through() throws Exception {
    // Parse and Describe do not see this one: an insert that leaves out a NOT NULL column without a
    // default parses, and fails only when it runs (V5's checkpoint.slot did that to V4's writers).
    String previous = previousSchemaVersion();
    DataSource db = migratedDatabase("upgrade_columns", previous);
    List<String> tables = column(db, "select table_name from information_schema.tables where table_schema = 'public'");
    List<String> before = column(db, COLUMNS);
    flyway(db).load().migrate();

    List<String> added = new ArrayList<>(column(db, COLUMNS));
    added.removeAll(before);

    assertThat(added)
        .as("columns added since V%s to tables the previous release had: NOT NULL without a default"
            + " makes its inserts fail (add a default, or add it nullable and fill it in a later release)", previous)
        .filteredOn(c -> tables.contains(c.substring(0, c.indexOf('.'))))
        .noneMatch(c -> c.endsWith(" not null, no default"));
  }

  /** Every column as {@code table.column nullability, default}. */
  private static final String COLUMNS =
      "select table_name || '.' || column_name || case when is_nullable = 'NO' then ' not null' else ' null' end"
          + " || case when column_default is null and is_identity = 'NO' and is_generated = 'NEVER' then ', no default'"
          + " else ', default' end from information_schema.columns where table_schema = 'public'";

  /** Each statement PostgreSQL does not accept, with its reason; empty if all parse and describe. */
  static List<String> refused(DataSource db, List<String> statements) throws SQLException {
    List<String> refused = new ArrayList<>();
    try (Connection c = db.getConnection()) {
      for (String sql : statements) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.getParameterMetaData();
        } catch (SQLException e) {
          refused.add(e.getMessage().lines().findFirst().orElse("") + "\n    in: " + sql);
        }
      }
    }
    return refused;
  }

  static List<String> corpus() throws IOException {
    String text = corpusText();
    // the first part is the file's header comment
    List<String> parts = Arrays.asList(text.split("(?m)^" + Pattern.quote(SqlRecorder.SEPARATOR) + "$"));
    return parts.subList(1, parts.size()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** The newest migration of the release the corpus was recorded from, named in its header. */
  static String previousSchemaVersion() throws IOException {
    var m = Pattern.compile("(?m)^-- schema version: (\\d+)$").matcher(corpusText());
    assertThat(m.find()).as(CORPUS + " names its schema version").isTrue();
    return m.group(1);
  }

  private static String corpusText() throws IOException {
    try (InputStream in = PreviousReleaseStatementsTest.class.getResourceAsStream(CORPUS)) {
      assertThat(in).as(CORPUS + " on the test class path").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(DataSource db) {
    return Flyway.configure().dataSource(db).locations("classpath:db/migration");
  }

  private static List<String> column(DataSource db, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection c = db.getConnection(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  /** A new database migrated to {@code version}, or to the newest if null. */
  private static DataSource migratedDatabase(String name, String version) throws SQLException {
    execute(postgres.getPostgresDatabase(), "create database " + name);
    DataSource db = postgres.getDatabase("postgres", name);
    (version == null ? flyway(db) : flyway(db).target(version)).load().migrate();
    return db;
  }

  private static void execute(DataSource db, String sql) throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
