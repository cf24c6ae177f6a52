-- Discovery at scale (bench/discovery.sh; BENCHMARKS.md, "Discovery").

-- The combinations of consent terms recorded, which the services decide
-- once per request (store.ConsentShapes): kept by triggers on consent, so
-- that a request reads a few hundred rows instead of grouping every
-- consent (1.1M rows, 0.3-0.5 s, at 1M donors). The shapes of retired
-- consents stay: a key no consent in force has matches no donor.
CREATE TABLE consent_shape (
    permission text NOT NULL,
    modifiers  text[] NOT NULL,
    disease    text NOT NULL,
    PRIMARY KEY (permission, modifiers, disease)
);
INSERT INTO consent_shape (permission, modifiers, disease)
SELECT DISTINCT permission, modifiers, coalesce(disease, '') FROM consent;

CREATE FUNCTION consent_shape_keep() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO consent_shape (permission, modifiers, disease)
    SELECT DISTINCT permission, modifiers, coalesce(disease, '') FROM changed
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER consent_shape_insert AFTER INSERT ON consent REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION consent_shape_keep();
CREATE TRIGGER consent_shape_update AFTER UPDATE ON consent REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION consent_shape_keep();
