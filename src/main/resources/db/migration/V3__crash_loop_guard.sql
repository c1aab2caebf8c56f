-- Recoveries since the job last wrote a checkpoint: a job that keeps killing its owners without
-- making progress is FAILED instead of being handed from instance to instance forever.
alter table job add column recoveries_since_checkpoint integer not null default 0;
