-- One name per concept (docs/glossary.md): a study's EGA accession is
-- "accession" in SQL as in Go, GraphQL and CSV.
ALTER TABLE study RENAME COLUMN ega_accession TO accession;
ALTER TABLE study RENAME CONSTRAINT study_ega_accession_key TO study_accession_key;
ALTER TABLE study RENAME CONSTRAINT study_ega_accession_check TO study_accession_check;
