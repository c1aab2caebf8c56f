package io.checkpointd.persistence;

import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/**
 * Hands the statements Hibernate generates for {@link KindRow} to {@link SqlRecorder}: they read
 * and write the schema as much as the service's own SQL does.
 */
@PersistenceUnitExtension
@ApplicationScoped
class RecordingStatementInspector implements StatementInspector {

  @Override
  public String inspect(String sql) {
    SqlRecorder.record(sql);
    return sql;
  }
}
