-- External kinds belong to the tenant whose key declared them, so two tenants may each declare a
-- name. Kinds from before tenants belong to 'default', as their jobs do (V14).
--
-- Expand only, for the previous release running beside this one: it inserts without the column
-- (the default fills it in) and reads and locks by name alone, which still parses and runs. The
-- key moves from (name) to (tenant, name): a key on name alone would refuse the second tenant's
-- declaration. The previous release has no ON CONFLICT on this table, so none of its statements
-- needs the old key. Until it is replaced it still treats kinds as one namespace (README, Upgrading).
alter table job_kind add column tenant text not null default 'default';
alter table job_kind drop constraint job_kind_pkey;
alter table job_kind add primary key (tenant, name);
