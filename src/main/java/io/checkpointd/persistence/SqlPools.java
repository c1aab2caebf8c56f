package io.checkpointd.persistence;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The two pools. Why two: with one, two hundred slow API requests held every connection, the
 * heartbeat waited for one longer than the lease TTL, and a healthy instance's jobs were reaped.
 * The engine's pool ({@code quarkus.datasource."engine"}, same database) is one the API cannot take.
 */
class SqlPools {

  @Produces
  @Singleton
  @Default
  Sql api(AgroalDataSource dataSource) {
    return new Sql(dataSource);
  }

  @Produces
  @Singleton
  @Sql.Engine
  Sql engine(@DataSource("engine") AgroalDataSource dataSource) {
    return new Sql(dataSource);
  }
}
