package io.checkpointd.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server lets in only who knows the password the service keeps, across restarts. */
class EmbeddedPostgresLauncherTest {

  @TempDir Path dataDir;

  @Test
  void a_connection_without_the_password_is_refused_and_one_with_it_accepted() throws Exception {
    try (EmbeddedPostgres server = EmbeddedPostgresLauncher.start(dataDir, 0)) {
      assertRefused(server.getPort(), "");
      assertRefused(server.getPort(), "postgres");
      assertAccepted(server.getPort(), EmbeddedPostgresLauncher.password(dataDir));
    }
  }

  @Test
  void the_password_is_random_and_kept_where_only_the_service_user_can_read_it() throws Exception {
    try (EmbeddedPostgres server = EmbeddedPostgresLauncher.start(dataDir, 0)) {
      Path file = dataDir.resolve(SuperuserPassword.FILE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
      assertThat(EmbeddedPostgresLauncher.password(dataDir)).hasSizeGreaterThanOrEqualTo(40);
    }
  }

  @Test
  void the_server_has_no_unix_socket_and_listens_on_loopback_only() throws Exception {
    try (EmbeddedPostgres server = EmbeddedPostgresLauncher.start(dataDir, 0);
        Connection c = connect(server.getPort(), EmbeddedPostgresLauncher.password(dataDir))) {
      assertThat(show(c, "unix_socket_directories")).isEmpty();
      assertThat(show(c, "listen_addresses")).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void a_restart_on_the_same_data_directory_reuses_the_password() throws Exception {
    String first;
    try (EmbeddedPostgres server = EmbeddedPostgresLauncher.start(dataDir, 0)) {
      first = EmbeddedPostgresLauncher.password(dataDir);
    }
    try (EmbeddedPostgres server = EmbeddedPostgresLauncher.start(dataDir, 0)) {
      assertThat(EmbeddedPostgresLauncher.password(dataDir)).isEqualTo(first);
      assertRefused(server.getPort(), "");
      assertAccepted(server.getPort(), first);
    }
  }

  @Test
  void a_data_directory_made_with_trust_authentication_gets_a_password_at_its_next_start() throws Exception {
    // What earlier versions left: zonky's initdb -A trust, and no password file.
    EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setRegisterShutdownHook(false)
        .start().close();
    assertThat(dataDir.resolve(SuperuserPassword.FILE)).doesNotExist();
    try (EmbeddedPostgres server = EmbeddedPostgresLauncher.start(dataDir, 0)) {
      assertRefused(server.getPort(), "");
      assertAccepted(server.getPort(), EmbeddedPostgresLauncher.password(dataDir));
    }
    try (EmbeddedPostgres server = EmbeddedPostgresLauncher.start(dataDir, 0)) {
      assertRefused(server.getPort(), "");
      assertAccepted(server.getPort(), EmbeddedPostgresLauncher.password(dataDir));
    }
  }

  private static void assertRefused(int port, String password) {
    assertThatThrownBy(() -> connect(port, password).close()).isInstanceOf(SQLException.class);
  }

  private static void assertAccepted(int port, String password) throws SQLException {
    try (Connection c = connect(port, password)) {
      assertThat(show(c, "server_version")).isNotEmpty();
    }
  }

  private static Connection connect(int port, String password) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password);
  }

  private static String show(Connection c, String setting) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW " + setting)) {
      r.next();
      return r.getString(1);
    }
  }
}
