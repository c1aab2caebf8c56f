-- Expand only: every column the previous release reads stays, so it can run beside this one.

-- The TTL a job's lease was given at its claim: external workers may ask for their own, and
-- their heartbeats renew by it. A checkpoint committed within it also counts as a sign of life.
alter table job add column lease_ttl_ms bigint;
-- A job retried by an external worker waits out its backoff in the queue: not claimed before this.
alter table job add column not_before timestamptz;

-- The job row now carries its newest checkpoint whenever the job is not running (every exit from
-- RUNNING copies it), so reads look at the checkpoint table only for running jobs. Bring the rows
-- that earlier releases left behind (paused, failed, cancelled) up to date once.
update job set
    last_checkpoint_seq = n.seq, last_checkpoint_iteration = n.iteration, last_checkpoint_at = n.created_at
  from (select distinct on (job_id) job_id, seq, iteration, created_at from checkpoint order by job_id, seq desc) n
 where n.job_id = job.id and job.status <> 'RUNNING' and job.last_checkpoint_seq is distinct from n.seq;

-- Kinds declared over the API by external workers (PUT /kinds/{name}); built-in kinds live in code.
create table job_kind (
    name          text        primary key,
    description   text        not null,
    parameters    jsonb       not null,
    state_version integer     not null default 1,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);
-- The parameter that gives a job's total iterations (e.g. limit), so progress shows from the start.
alter table job_kind add column total_param text;
