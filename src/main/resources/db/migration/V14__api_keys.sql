-- Expand only: a new table and a new column with a default; the previous release uses neither.
--
-- API keys: only a hash of each key is stored (SHA-256 of the whole key: keys are 256 random bits,
-- so no salt or slow hash is needed against guessing), with its prefix, which names the key in logs,
-- lists and events without being enough to use it.
create table api_key (
  id uuid primary key,
  prefix text not null unique,
  key_hash text not null unique,
  tenant text not null,
  roles text[] not null,
  name text,
  created_at timestamptz not null default now(),
  created_by text,
  revoked_at timestamptz
);

-- Every job belongs to a tenant; jobs from before tenants belong to 'default', the tenant of the
-- open (no keys) service and of the configured admin key.
alter table job add column tenant text not null default 'default';
