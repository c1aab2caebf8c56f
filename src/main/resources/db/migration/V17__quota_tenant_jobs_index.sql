-- Expand only: an index. A tenant's stored bytes (its jobs' checkpoints, whatever their status) are
-- summed at most once a second per tenant that creates jobs, for its stored-bytes quota; this finds
-- the tenant's jobs without reading the whole table. On tenant alone, which never changes: an update
-- that PostgreSQL could do in place (HOT) still can.
create index job_tenant_idx on job (tenant);
