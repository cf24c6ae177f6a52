-- Every index of sample is paid for by every sample a bulk import creates.
-- One unique index on (donor_id, id) serves both the composite key that
-- keeps derived material with its donor's samples (a foreign key may use a
-- unique index on the same columns in any order) and the lookups of a
-- donor's samples, so the separate (id, donor_id) and (donor_id) indexes
-- go. Derived samples share their parent's donor, so a parent's children
-- are found among its donor's samples through that same index, and no
-- index on parent_id is kept (the lineage key's checks on the parent side,
-- should a sample's donor change, look up (parent_id, donor_id) the same
-- way).
ALTER TABLE sample DROP CONSTRAINT sample_parent_id_donor_id_fkey;
ALTER TABLE sample DROP CONSTRAINT sample_id_donor_id_key;
DROP INDEX sample_donor_idx;
ALTER TABLE sample ADD CONSTRAINT sample_donor_id_id_key UNIQUE (donor_id, id);
ALTER TABLE sample ADD CONSTRAINT sample_parent_id_donor_id_fkey
    FOREIGN KEY (parent_id, donor_id) REFERENCES sample (id, donor_id);
DROP INDEX sample_parent_idx;
