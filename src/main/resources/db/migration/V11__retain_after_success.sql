-- Expand only: a new column with a default. A job created with checkpoint.retainAfterSuccess keeps
-- its checkpoints when it succeeds (to be inspected and forked from); a previous release finishing
-- such a job during a rolling deploy deletes them, as it always did.
alter table job add column checkpoint_retain_after_success boolean not null default false;
