-- CACHE-3: publish on channel matrix_auth_filter what changed in the rows authentication caches,
-- so every node evicts within a second, whoever made the change (another node, Synapse, an
-- operator's SQL). Payloads name rows by id, never by token. Written to be run again safely:
-- it is also how the triggers are put on a database Synapse manages, when the operator opts in.

CREATE OR REPLACE FUNCTION matrix_auth_filter_notify() RETURNS trigger AS $$
DECLARE
    changed RECORD;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := OLD;
    ELSE
        changed := NEW;
    END IF;
    IF TG_TABLE_NAME = 'access_tokens' THEN
        PERFORM pg_notify('matrix_auth_filter', json_build_object('table', TG_TABLE_NAME, 'id', changed.id)::text);
    ELSIF TG_TABLE_NAME = 'users' THEN
        PERFORM pg_notify('matrix_auth_filter', json_build_object('table', TG_TABLE_NAME, 'user_id', changed.name)::text);
    ELSIF TG_TABLE_NAME = 'devices' THEN
        PERFORM pg_notify('matrix_auth_filter', json_build_object('table', TG_TABLE_NAME, 'user_id', changed.user_id,
                'device_id', changed.device_id)::text);
    ELSE
        PERFORM pg_notify('matrix_auth_filter', json_build_object('table', TG_TABLE_NAME, 'user_id', changed.user_id)::text);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Not on updates of used or last_validated: those say nothing about what the token may do, and
-- the filter itself sets used on every fresh token.
DROP TRIGGER IF EXISTS matrix_auth_filter_notify ON access_tokens;
CREATE TRIGGER matrix_auth_filter_notify
    AFTER UPDATE OF id, user_id, device_id, token, valid_until_ms, puppets_user_id OR DELETE ON access_tokens
    FOR EACH ROW EXECUTE FUNCTION matrix_auth_filter_notify();

DROP TRIGGER IF EXISTS matrix_auth_filter_notify ON users;
CREATE TRIGGER matrix_auth_filter_notify AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION matrix_auth_filter_notify();

-- Only deletions: devices' last_seen columns are updated by every client-IP flush.
DROP TRIGGER IF EXISTS matrix_auth_filter_notify ON devices;
CREATE TRIGGER matrix_auth_filter_notify AFTER DELETE ON devices
    FOR EACH ROW EXECUTE FUNCTION matrix_auth_filter_notify();

DROP TRIGGER IF EXISTS matrix_auth_filter_notify ON account_validity;
CREATE TRIGGER matrix_auth_filter_notify AFTER INSERT OR UPDATE OR DELETE ON account_validity
    FOR EACH ROW EXECUTE FUNCTION matrix_auth_filter_notify();
