-- An event that names many donors (a withdrawal preview of 100,000
-- samples names some 60,000) adds as many keys to the GIN index of
-- audit_event.donor_ids. Keys go to the index's pending list first; with
-- PostgreSQL's default 4 MB list, every few such events filled it and the
-- request whose event did paid for merging the whole list into the index
-- (0.4-0.6 s, measured at 10M samples, BENCHMARKS.md), while its answer
-- waited for its audit row. A 64 MB list takes about thirty such events,
-- and autovacuum merges it in the background: the table is visited after
-- every 1,000 inserted events, whatever its size (an insert-only table is
-- otherwise visited after 20 % more rows, which for a large audit log
-- would be rare), at most a minute apart (autovacuum_naptime). Should
-- thirty such events come before autovacuum does, the request that fills
-- the list still merges it, a larger one than before. "Who looked at
-- donor D?" reads the pending list too: its answers are unchanged, and it
-- may read up to 64 MB of it.
ALTER INDEX audit_event_donor_idx SET (gin_pending_list_limit = 65536);
ALTER TABLE audit_event SET (autovacuum_vacuum_insert_threshold = 1000, autovacuum_vacuum_insert_scale_factor = 0);
