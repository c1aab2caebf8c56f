-- Expand only: an index the previous release does not use.

-- Retention deletes the finished jobs past their time, oldest first, in small batches: without
-- this index every batch would scan the whole job table.
create index job_finished_idx on job (finished_at) where status in ('SUCCEEDED', 'FAILED', 'CANCELLED');
