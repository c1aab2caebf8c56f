#!/bin/sh
# Least-privilege roles for checkpointd, made once when the database is created (PostgreSQL
# images run /docker-entrypoint-initdb.d/ on an empty data directory only; docker/compose.yaml
# and docker/k8s/postgres.yaml mount this file there). On a managed PostgreSQL, run the same
# statements once as its administrator.
#
#   CHECKPOINTD_MIGRATOR_ROLE (checkpointd_migrator): owns the schema; Flyway connects as it
#     (quarkus.flyway."engine".username) and alone can create, alter and drop tables.
#   CHECKPOINTD_SERVICE_ROLE (checkpointd): what the replicas' pools, liveness sessions and LISTEN
#     connections log in as: reads and writes rows, nothing else. pg_notify, advisory locks,
#     set_config and pg_locks need no grant.
#
# Passwords: CHECKPOINTD_MIGRATOR_PASSWORD and CHECKPOINTD_DB_PASSWORD (required).
# POSIX sh: the official image runs it (or sources it, if it is not executable) with bash, the
# local stand-in with sh. In a subshell, so that set -eu never leaks into an entrypoint sourcing it.
(
set -eu
: "${CHECKPOINTD_MIGRATOR_ROLE:=checkpointd_migrator}"
: "${CHECKPOINTD_SERVICE_ROLE:=checkpointd}"
: "${CHECKPOINTD_MIGRATOR_PASSWORD:?set CHECKPOINTD_MIGRATOR_PASSWORD (the migration role's password)}"
: "${CHECKPOINTD_DB_PASSWORD:?set CHECKPOINTD_DB_PASSWORD (the service role's password)}"

# psql's :"name" and :'value' quote identifiers and literals, whatever the passwords hold.
psql -v ON_ERROR_STOP=1 -q --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" -v migrator="$CHECKPOINTD_MIGRATOR_ROLE" -v service="$CHECKPOINTD_SERVICE_ROLE" \
  -v migrator_password="$CHECKPOINTD_MIGRATOR_PASSWORD" -v service_password="$CHECKPOINTD_DB_PASSWORD" <<'SQL'
create role :"migrator" login password :'migrator_password';
create role :"service" login password :'service_password';

-- Only these two (and the administrator) connect; no temporary tables for anyone else.
revoke all on database :"db" from public;
grant connect on database :"db" to :"migrator", :"service";

-- The migration role owns the schema: it creates (Flyway), and it alone. PostgreSQL 14 and
-- older let every role create in public; 15 and later only its owner.
alter schema public owner to :"migrator";
revoke all on schema public from public;
grant usage on schema public to :"service";

-- Every table and sequence the migration role creates, in this release's migrations and every
-- later one, is readable and writable by the service role: no grant to forget in a migration.
alter default privileges for role :"migrator" in schema public
  grant select, insert, update, delete on tables to :"service";
alter default privileges for role :"migrator" in schema public
  grant usage, select on sequences to :"service";
SQL
echo "checkpointd roles: $CHECKPOINTD_MIGRATOR_ROLE owns schema public; $CHECKPOINTD_SERVICE_ROLE reads and writes its rows"
)
