-- A pause or cancel asked for while the job runs; the owner honours it at the next iteration
-- boundary. It lives on the row so that it survives the owner's death: a job requeued with a
-- pending request becomes PAUSED or CANCELLED, never running again by accident.
alter table job add column requested text constraint job_requested_known check (requested in ('PAUSE', 'CANCEL'));

-- Failed attempts of the current run, and how many are allowed before the job is FAILED.
alter table job add column attempts integer not null default 0;
alter table job add column max_attempts integer not null default 3;

-- Iterations per second of the current run, recorded by the heartbeat.
alter table job add column rate double precision;

-- Idempotency-Key of POST /jobs, and a hash of the request it came with.
alter table job add column idempotency_key text constraint job_idempotency_key_unique unique;
alter table job add column request_hash text;

-- What happened to a job, newest kept (the writer prunes old rows). Checkpoints are not
-- recorded here one by one: the job row counts them.
create table job_event (
    id      bigserial   primary key,
    job_id  uuid        not null references job (id) on delete cascade,
    type    text        not null,
    at      timestamptz not null default now(),
    detail  text
);
create index job_event_job_idx on job_event (job_id, id);
