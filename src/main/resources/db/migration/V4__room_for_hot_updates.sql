-- Every checkpoint updates its job row (progress, sequence). None of those columns is indexed,
-- so with free room on the page PostgreSQL updates in place (a HOT update: no index entries);
-- without it, each checkpoint would add an entry to every index of the table.
alter table job set (fillfactor = 50);
alter table checkpoint set (fillfactor = 90);
