-- The audit of every request: append-only. Rows are only ever inserted;
-- a trigger refuses UPDATE, DELETE and TRUNCATE for everybody, the table
-- owner included, so that removing an audit row means first altering the
-- table, which a deployment keeps for a separate owner role: the
-- application's role gets INSERT and SELECT only (docs/audit.md).
CREATE TABLE audit_event (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    via         text NOT NULL DEFAULT '',
    role        text NOT NULL DEFAULT '',
    operation   text NOT NULL,
    query_hash  text NOT NULL,
    variables   jsonb NOT NULL DEFAULT '{}',
    operations  text[] NOT NULL DEFAULT '{}',
    decision    text NOT NULL CHECK (decision IN ('allowed', 'denied', 'failed')),
    rows        integer NOT NULL CHECK (rows >= 0),
    donor_ids   uuid[] NOT NULL DEFAULT '{}',
    duration_us bigint NOT NULL CHECK (duration_us >= 0),
    client      text NOT NULL DEFAULT '',
    write       boolean NOT NULL DEFAULT false
);
CREATE INDEX audit_event_at_idx ON audit_event (at);
CREATE INDEX audit_event_actor_idx ON audit_event (actor, at);
-- "Who looked at donor D?" in one indexed lookup.
CREATE INDEX audit_event_donor_idx ON audit_event USING gin (donor_ids);

CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
