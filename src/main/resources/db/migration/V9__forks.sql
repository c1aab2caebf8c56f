-- Expand only: new nullable columns that the previous release neither reads nor writes.

-- A job forked from another one's checkpoint names it. No foreign key: the parent may be deleted
-- and the child keeps the record of where it came from.
alter table job add column forked_from_job uuid;
alter table job add column forked_from_seq bigint;
