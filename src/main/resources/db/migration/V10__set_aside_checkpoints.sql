-- Expand only: a new column with a default; the previous release neither reads nor writes it.
--
-- A rewind sets a job's newer checkpoints aside instead of deleting them: they stay readable (GET
-- /jobs/{id}/checkpoints?include=set-aside) until the ring overwrites their slots, and a resume
-- starts from the newest checkpoint that is not set aside. Not indexed, so a slot's overwrite
-- (which clears the flag) stays a HOT update. During a rolling deploy a previous release would
-- still resume a rewound job from its newest checkpoint: rewind after the deploy has finished.
alter table checkpoint add column set_aside boolean not null default false;
