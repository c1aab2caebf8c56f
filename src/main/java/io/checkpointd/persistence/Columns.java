package io.checkpointd.persistence;

import io.vertx.sqlclient.Row;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row's columns by position from 0, whichever driver read it: a JDBC result set or a row of the
 * non-blocking reads ({@link JobLookup}). The mapping of a job row is written once
 * ({@link JobRows#snapshot(Columns)}) for both. A NULL reads as JDBC reads it: 0 or false for a
 * primitive, null for an object.
 */
interface Columns {

  int count() throws SQLException;

  boolean isNull(int column) throws SQLException;

  String text(int column) throws SQLException;

  long int8(int column) throws SQLException;

  int int4(int column) throws SQLException;

  Integer int4OrNull(int column) throws SQLException;

  Double float8OrNull(int column) throws SQLException;

  boolean bool(int column) throws SQLException;

  UUID uuid(int column) throws SQLException;

  OffsetDateTime timestamp(int column) throws SQLException;

  static Columns of(ResultSet rs) {
    return new Columns() {
      @Override
      public int count() throws SQLException {
        return rs.getMetaData().getColumnCount();
      }

      @Override
      public boolean isNull(int column) throws SQLException {
        return rs.getObject(column + 1) == null;
      }

      @Override
      public String text(int column) throws SQLException {
        return rs.getString(column + 1);
      }

      @Override
      public long int8(int column) throws SQLException {
        return rs.getLong(column + 1);
      }

      @Override
      public int int4(int column) throws SQLException {
        return rs.getInt(column + 1);
      }

      @Override
      public Integer int4OrNull(int column) throws SQLException {
        return (Integer) rs.getObject(column + 1);
      }

      @Override
      public Double float8OrNull(int column) throws SQLException {
        return (Double) rs.getObject(column + 1);
      }

      @Override
      public boolean bool(int column) throws SQLException {
        return rs.getBoolean(column + 1);
      }

      @Override
      public UUID uuid(int column) throws SQLException {
        return rs.getObject(column + 1, UUID.class);
      }

      @Override
      public OffsetDateTime timestamp(int column) throws SQLException {
        return rs.getObject(column + 1, OffsetDateTime.class);
      }
    };
  }

  static Columns of(Row row) {
    return new Columns() {
      @Override
      public int count() {
        return row.size();
      }

      @Override
      public boolean isNull(int column) {
        return row.getValue(column) == null;
      }

      @Override
      public String text(int column) {
        return row.getString(column);
      }

      @Override
      public long int8(int column) {
        Long value = row.getLong(column);
        return value == null ? 0 : value;
      }

      @Override
      public int int4(int column) {
        Integer value = row.getInteger(column);
        return value == null ? 0 : value;
      }

      @Override
      public Integer int4OrNull(int column) {
        return row.getInteger(column);
      }

      @Override
      public Double float8OrNull(int column) {
        return row.getDouble(column);
      }

      @Override
      public boolean bool(int column) {
        return Boolean.TRUE.equals(row.getBoolean(column));
      }

      @Override
      public UUID uuid(int column) {
        return row.getUUID(column);
      }

      @Override
      public OffsetDateTime timestamp(int column) {
        return row.getOffsetDateTime(column);
      }
    };
  }
}
