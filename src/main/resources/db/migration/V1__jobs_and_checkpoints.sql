-- A job and its lease. The lease columns (owner, epoch, lease_expires_at) are written only by
-- conditional updates that name the epoch, so a stale owner can never change a job it lost.
create table job (
    id                          uuid primary key,
    kind                        text        not null,
    params                      jsonb       not null,
    checkpoint_every_iterations integer,
    checkpoint_every_seconds    double precision,
    status                      text        not null,
    iteration                   bigint      not null default 0,
    total                       bigint      not null,
    result                      jsonb,
    error                       text,
    owner                       text,
    epoch                       bigint      not null default 0,
    lease_expires_at            timestamptz,
    recoveries                  integer     not null default 0,
    checkpoint_count            bigint      not null default 0,
    last_checkpoint_seq         bigint,
    last_checkpoint_iteration   bigint,
    last_checkpoint_at          timestamptz,
    created_at                  timestamptz not null default now(),
    updated_at                  timestamptz not null default now(),
    started_at                  timestamptz,
    finished_at                 timestamptz,
    constraint job_status_known check (status in ('QUEUED', 'RUNNING', 'PAUSED', 'SUCCEEDED', 'FAILED', 'CANCELLED'))
);

-- Workers pick the oldest queued jobs first.
create index job_queued_idx on job (created_at, id) where status = 'QUEUED';
-- Heartbeats, restarts and the reaper look up running jobs by owner or by lease expiry.
create index job_running_idx on job (lease_expires_at) where status = 'RUNNING';
create index job_owner_idx on job (owner) where owner is not null;
-- GET /jobs lists newest first, paged by (created_at, id).
create index job_listing_idx on job (created_at desc, id desc);

-- A state snapshot. The state is stored as the exact bytes that were checksummed (JSON, UTF-8),
-- so a checksum mismatch means the row was damaged, never that it was re-serialized.
create table checkpoint (
    job_id        uuid        not null references job (id) on delete cascade,
    seq           bigint      not null,
    iteration     bigint      not null,
    state_version integer     not null,
    encoding      text        not null default 'json',
    state         bytea       not null,
    size_bytes    integer     not null,
    checksum      text        not null,
    created_at    timestamptz not null default now(),
    primary key (job_id, seq)
);
