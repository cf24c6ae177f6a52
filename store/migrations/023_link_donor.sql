-- A sample-file link names the sample's donor as well, so that the data a
-- donor's samples hold is found by donor: the withdrawal preview asks,
-- for every donor whose requested sample needs an alternative, which of
-- the donor's samples hold the wanted data. Probing each sample's links
-- cost three quarters of that statement at 10M samples (BENCHMARKS.md,
-- "Withdrawal preview", eighth session); one index scan by donor reads
-- the few links a donor has.
--
-- The foreign key to the sample's (donor_id, id) keeps the copy true:
-- MATCH FULL refuses a link without its donor, and a sample moved to
-- another donor (a corrected registry row) carries its links along (ON
-- UPDATE CASCADE). It also says that the sample exists, so the key on
-- sample_id alone goes: one check a link, as before.
--
-- The UPDATE rewrites every link, and the table is locked while it runs
-- (37 s for 2.2M links at 10M samples on the benchmark machine).
ALTER TABLE data_file_sample ADD COLUMN donor_id uuid;
UPDATE data_file_sample l SET donor_id = s.donor_id FROM sample s WHERE s.id = l.sample_id;
ALTER TABLE data_file_sample ADD CONSTRAINT data_file_sample_donor_fkey FOREIGN KEY (donor_id, sample_id)
    REFERENCES sample (donor_id, id) MATCH FULL ON UPDATE CASCADE;
ALTER TABLE data_file_sample DROP CONSTRAINT data_file_sample_sample_id_fkey;
CREATE INDEX data_file_sample_donor_idx ON data_file_sample (donor_id);
