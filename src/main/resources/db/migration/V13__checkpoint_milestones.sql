-- Expand only: two columns with defaults; the previous release neither reads nor writes them.
--
-- Milestones: besides its ring of newest checkpoints, a job keeps every milestone_every-th
-- checkpoint, at most checkpoint_milestones of them, thinned to every other one when full, so a
-- long job keeps a sparse history from its start. A milestone lives in a slot below zero (slot =
-- -1 - seq), so the ring's slots and its HOT overwrites are untouched. 0 means none, which is what
-- every job created before this release keeps.
alter table job add column checkpoint_milestone_every integer not null default 0,
                add column checkpoint_milestones integer not null default 0;
