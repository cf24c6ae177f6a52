-- Coded vocabularies, persisted with their ancestor closure so that an
-- "under X" filter is one indexed join. Terms are never deleted: a term
-- missing from a new release becomes obsolete, because records may use it.

CREATE TABLE ontology_system (
    name       text PRIMARY KEY,
    title      text NOT NULL DEFAULT '',
    source     text NOT NULL DEFAULT '',
    version    text NOT NULL DEFAULT '',
    digest     text NOT NULL DEFAULT '',
    builtin    boolean NOT NULL DEFAULT false,
    loaded_at  timestamptz NOT NULL DEFAULT now(),
    loaded_by  text NOT NULL
);

CREATE TABLE ontology_term (
    curie       text PRIMARY KEY,
    system      text NOT NULL REFERENCES ontology_system (name),
    code        text NOT NULL,
    label       text NOT NULL,
    synonyms    text[] NOT NULL DEFAULT '{}',
    parents     text[] NOT NULL DEFAULT '{}',
    status      text NOT NULL CHECK (status IN ('active', 'obsolete')),
    replaced_by text
);
CREATE INDEX ontology_term_system_idx ON ontology_term (system, code);
CREATE INDEX ontology_term_label_idx ON ontology_term (lower(label) text_pattern_ops);

-- One row per (ancestor, descendant) pair, the term itself included at
-- depth 0.
CREATE TABLE ontology_closure (
    ancestor   text NOT NULL,
    descendant text NOT NULL,
    depth      integer NOT NULL,
    PRIMARY KEY (ancestor, descendant)
);
CREATE INDEX ontology_closure_descendant_idx ON ontology_closure (descendant);
