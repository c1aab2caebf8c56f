package io.checkpointd.persistence;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * One instance's liveness session: a dedicated, direct connection holding the session-level
 * advisory lock registered for the instance id (table {@code instance}). PostgreSQL releases the
 * lock when the session ends, which it does at once when the process dies (its OS closes the
 * socket) and within the network timeout when the host vanishes (TCP keepalives): the lock being
 * free is the sign, needing no heartbeat, that the instance is gone.
 */
public final class LivenessSession implements AutoCloseable {

  /** The first half of every instance lock's key: the advisory-lock space checkpointd uses ("ckpd"). */
  static final int LOCK_SPACE = 0x636b7064;

  /**
   * Whether the liveness lock of the {@code instance} row aliased {@code i} is held by a session of
   * this database. Two-int advisory locks show in pg_locks as (classid, objid, objsubid = 2).
   */
  static final String LOCK_HELD =
      "exists (select 1 from pg_locks l where l.locktype = 'advisory' and l.granted and l.objsubid = 2"
          + " and l.classid = " + LOCK_SPACE + " and l.objid = i.lock_key"
          + " and l.database = (select oid from pg_database where datname = current_database()))";

  private static final String LOOK =
      "select exists (select 1 from pg_locks l join instance i on l.objid = i.lock_key where i.id = ?"
          + " and l.locktype = 'advisory' and l.granted and l.objsubid = 2 and l.classid = " + LOCK_SPACE
          + " and l.pid = pg_backend_pid()),"
          + " array(select i.id from instance i where i.alive and i.id <> ? and not " + LOCK_HELD + ")";

  private final Connection connection;

  LivenessSession(Connection connection) {
    this.connection = connection;
  }

  /**
   * Registers {@code instanceId} and takes its lock on this session, marking it alive.
   *
   * @return false if another live session holds it: another process runs under this id (or the
   *     session of this id's previous life has not ended yet)
   */
  public boolean hold(String instanceId) {
    try {
      update("insert into instance (id) values (?) on conflict (id) do nothing", instanceId);
      boolean locked;
      String lock = "select pg_try_advisory_lock(" + LOCK_SPACE + ", lock_key) from instance where id = ?";
      SqlRecorder.record(lock);
      try (PreparedStatement ps = connection.prepareStatement(lock)) {
        ps.setString(1, instanceId);
        try (ResultSet rs = ps.executeQuery()) {
          locked = rs.next() && rs.getBoolean(1);
        }
      }
      if (locked) {
        // After the lock, never before: a survivor taking our previous life's jobs holds this row
        // (RecoveryStore#requeueFromEndedSession) until it is done, so nothing this life claims
        // can be among them.
        update("update instance set alive = true, registered_at = now(), ended_at = null where id = ?", instanceId);
      }
      return locked;
    } catch (SQLException e) {
      throw new PersistenceFailure(e);
    }
  }

  /** What one look at the cluster's liveness locks found. */
  public record Look(boolean ownLockHeld, List<String> ended) {}

  /**
   * Checks that this session still holds {@code self}'s lock (a session through a pooler in
   * transaction mode would not: its statements reach other backends), and lists the other
   * instances marked alive whose lock is gone. One statement, cheap enough to run every few
   * hundred milliseconds: pg_locks is read from shared memory, the instance table is tiny.
   */
  public Look look(String self) {
    SqlRecorder.record(LOOK);
    try (PreparedStatement ps = connection.prepareStatement(LOOK)) {
      ps.setString(1, self);
      ps.setString(2, self);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        Array ended = rs.getArray(2);
        return new Look(rs.getBoolean(1), List.of((String[]) ended.getArray()));
      }
    } catch (SQLException e) {
      throw new PersistenceFailure(e);
    }
  }

  private void update(String statement, String instanceId) throws SQLException {
    SqlRecorder.record(statement);
    try (PreparedStatement ps = connection.prepareStatement(statement)) {
      ps.setString(1, instanceId);
      ps.executeUpdate();
    }
  }

  /** Ends the session, and with it the lock: survivors take whatever this instance still holds. */
  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // the session is gone either way
    }
  }
}
