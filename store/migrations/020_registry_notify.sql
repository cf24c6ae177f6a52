-- Every write to what discovery counts announces itself on the channel
-- databank_registry when its transaction commits (NOTIFY is
-- transactional, and the announcements of one transaction fold into
-- one). A server that keeps discovery's counts in memory (the count
-- index of the services) listens, and answers from SQL until it has
-- read the registry again: its counts are never older than the
-- announcement.
CREATE FUNCTION notify_registry_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('databank_registry', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER biobank_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON biobank
    FOR EACH STATEMENT EXECUTE FUNCTION notify_registry_change();
CREATE TRIGGER donor_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON donor
    FOR EACH STATEMENT EXECUTE FUNCTION notify_registry_change();
CREATE TRIGGER consent_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON consent
    FOR EACH STATEMENT EXECUTE FUNCTION notify_registry_change();
CREATE TRIGGER sample_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sample
    FOR EACH STATEMENT EXECUTE FUNCTION notify_registry_change();
CREATE TRIGGER data_file_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON data_file
    FOR EACH STATEMENT EXECUTE FUNCTION notify_registry_change();
CREATE TRIGGER data_file_sample_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON data_file_sample
    FOR EACH STATEMENT EXECUTE FUNCTION notify_registry_change();
