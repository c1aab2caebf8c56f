-- Checkpoints live in a ring of slots per job (slot = seq mod checkpointd.checkpoints.keep): a new
-- checkpoint overwrites the oldest in place. Why not insert and prune: each checkpoint then cost
-- a heap insert, an index insert and a delete, and at thousands per second the dead rows and
-- index entries outran autovacuum, so every prune walked further through them. An overwrite of a
-- slot changes no indexed column, so PostgreSQL does it as a HOT update on the same page: no index
-- entry, and the old version is reclaimed by the next update of that page, not by vacuum.
--
-- seq is no longer unique by constraint: the lease fence (the writer holds a share lock on the job
-- row and checks its epoch) is what guarantees one writer per job, and that writer numbers its
-- checkpoints from the newest one it found when it claimed the job.
alter table checkpoint add column slot integer;
-- Any numbering unique per job will do: an overwrite only ever replaces a row with an older seq.
update checkpoint c set slot = r.n
  from (select job_id, seq, (row_number() over (partition by job_id order by seq)) - 1 as n from checkpoint) r
 where c.job_id = r.job_id and c.seq = r.seq;
alter table checkpoint alter column slot set not null;
alter table checkpoint drop constraint checkpoint_pkey;
alter table checkpoint add primary key (job_id, slot);
-- Room on each page for the new version of a slot's row.
alter table checkpoint set (fillfactor = 50);
