package io.checkpointd.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * GET /jobs/{id} reads through a second driver: it must reach the database the JDBC URL names,
 * as the JDBC pools do, with the same credentials and no weaker TLS, from the one setting.
 */
class ReadPoolTest {

  @Test
  void the_reads_connect_where_the_jdbc_url_points_with_the_datasources_credentials() {
    PgConnectOptions options = ReadPool.connectOptions(
        "jdbc:postgresql://db.internal:6543/jobs?ApplicationName=x", Optional.of("svc"), Optional.of("s3cret"));
    assertThat(options.getHost()).isEqualTo("db.internal");
    assertThat(options.getPort()).isEqualTo(6543);
    assertThat(options.getDatabase()).isEqualTo("jobs");
    assertThat(options.getUser()).isEqualTo("svc");
    assertThat(options.getPassword()).isEqualTo("s3cret");
    // pgjdbc's parameters are not sent to PostgreSQL as settings: it would refuse unknown ones
    assertThat(options.getProperties()).doesNotContainKey("ApplicationName");
  }

  @Test
  void credentials_in_the_url_serve_when_the_datasource_names_none_and_the_first_of_several_hosts_is_used() {
    PgConnectOptions options = ReadPool.connectOptions(
        "jdbc:postgresql://a.example:5433,b.example:5434/jobs?user=u&password=p", Optional.empty(), Optional.empty());
    assertThat(options.getHost()).isEqualTo("a.example");
    assertThat(options.getPort()).isEqualTo(5433);
    assertThat(options.getUser()).isEqualTo("u");
    assertThat(options.getPassword()).isEqualTo("p");
  }

  @Test
  void tls_is_as_the_url_asks_and_as_pgjdbc_defaults() {
    assertThat(tls("")).isEqualTo(SslMode.PREFER); // pgjdbc's default: TLS when the server offers it
    assertThat(tls("?sslmode=disable")).isEqualTo(SslMode.DISABLE);
    assertThat(tls("?sslmode=require")).isEqualTo(SslMode.REQUIRE);
    assertThat(tls("?sslmode=verify-full")).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(tls("?ssl=true")).isEqualTo(SslMode.VERIFY_FULL); // pgjdbc's meaning of ssl=true
    PgConnectOptions verified = ReadPool.connectOptions(
        "jdbc:postgresql://db/jobs?sslmode=verify-full", Optional.empty(), Optional.empty());
    assertThat(verified.isTrustAll()).isFalse();
    assertThat(verified.getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
  }

  @Test
  void a_url_that_is_not_postgresqls_is_refused_naming_it() {
    assertThatThrownBy(() -> ReadPool.connectOptions("jdbc:h2:mem:x", Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:h2:mem:x");
  }

  private static SslMode tls(String query) {
    return ReadPool.connectOptions("jdbc:postgresql://db/jobs" + query, Optional.empty(), Optional.empty()).getSslMode();
  }
}
