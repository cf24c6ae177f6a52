-- Free-form references: the ids data is known by elsewhere (a DRS URI, an
-- ENA run or sample accession, a dbGaP study, an EGA sample), beside the
-- EGA accessions that key the federation. A reference names one record
-- of its kind per scheme and value.
CREATE TABLE external_reference (
    entity_id  uuid NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('Dataset', 'DataFile', 'Study', 'Sample')),
    scheme     text NOT NULL CHECK (scheme ~ '^[a-z][a-z0-9.+-]{1,31}$'),
    value      text NOT NULL CHECK (length(value) BETWEEN 1 AND 512),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL,
    PRIMARY KEY (entity_id, scheme, value),
    UNIQUE (kind, scheme, value)
);
