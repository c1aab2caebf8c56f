-- The Idempotency-Key of the claim that leased a job to an external worker: a claim resent after
-- its answer was lost finds the job it already leased, instead of leasing a second one while the
-- first waits out its TTL. Expand-only: nullable, and the previous release never reads it.
alter table job add column claim_key text;
