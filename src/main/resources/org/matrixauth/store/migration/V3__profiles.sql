-- Synapse's profiles table (display names, avatars), shaped as Synapse makes it: user_id is the
-- localpart, as in Synapse 1.50, and full_user_id the whole id, which later versions add and
-- read by. Authentication never reads it; a homeserver sharing this database does (MAS's
-- provisioning API sets display names), and on a database Synapse created it is already there.
-- V2 is PostgreSQL's change notifications (migration-postgresql).

CREATE TABLE profiles (
    user_id ${text} NOT NULL,
    displayname ${text},
    avatar_url ${text},
    full_user_id ${text} NOT NULL,
    CONSTRAINT profiles_user_id_key UNIQUE (user_id)
);
CREATE UNIQUE INDEX profiles_full_user_id_key ON profiles (full_user_id);
