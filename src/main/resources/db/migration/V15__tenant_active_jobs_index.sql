-- Expand only: an index. A tenant's active jobs are counted, up to its quota, at each creation;
-- this counts them without reading the table. Partial: finished jobs, the bulk, are not in it.
create index job_tenant_active_idx on job (tenant) where status in ('QUEUED', 'RUNNING');
