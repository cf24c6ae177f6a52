-- Keys and an index that 003 and 005 dropped to make the bulk import
-- faster, restored because integrity and queries need them; the import's
-- benchmark reference (bench/import.sh) has the same ones.
--
-- Each row of sample, consent and withdrawal names an existing biobank
-- by a key of its own, not only through the composite keys to its donor
-- or sample (which hold only while those keep theirs); the planner also
-- estimates joins to biobank (the lookups by biobank code and external
-- id) from these keys.
ALTER TABLE sample ADD CONSTRAINT sample_biobank_id_fkey FOREIGN KEY (biobank_id) REFERENCES biobank (id);
ALTER TABLE consent ADD CONSTRAINT consent_biobank_id_fkey FOREIGN KEY (biobank_id) REFERENCES biobank (id);
ALTER TABLE withdrawal ADD CONSTRAINT withdrawal_biobank_id_fkey FOREIGN KEY (biobank_id) REFERENCES biobank (id);

-- A sample's children: the lineage walks down (derived samples, the
-- filters' descendants, the files of derived material) look them up by
-- parent_id. Through (donor_id, id) that reads every sample of the
-- donor at each step, which is fine for ten samples and not for a donor
-- with thousands of aliquots. Primary samples have no parent and need no
-- entry.
CREATE INDEX sample_parent_idx ON sample (parent_id) WHERE parent_id IS NOT NULL;
