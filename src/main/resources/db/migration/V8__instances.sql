-- Expand only: a new table; nothing the previous release reads changes, and a previous release
-- (which never registers) keeps the lease TTL as its only takeover path.

-- The instances that hold a liveness session: each holds the session-level advisory lock
-- (1668050020, lock_key) on a dedicated connection for as long as its process lives. Survivors
-- watch pg_locks for the lock of every instance marked alive; when it is gone, the instance's
-- process (or at least its session) is gone, and its RUNNING jobs are taken back at once.
-- Why a key from a sequence rather than a hash of the id: two ids can never share a lock.
-- Only owners registered here are watched: external HTTP workers (no session) keep the TTL.
create table instance (
    id            text        primary key,
    lock_key      integer     not null generated always as identity unique,
    -- true from registration until a survivor finds the session ended (and takes the jobs back):
    -- only these rows are watched, so a finished instance costs nothing afterwards.
    alive         boolean     not null default false,
    registered_at timestamptz,
    ended_at      timestamptz
);
