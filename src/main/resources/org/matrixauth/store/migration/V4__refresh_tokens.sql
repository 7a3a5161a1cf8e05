-- Synapse's refresh_tokens (RFT), shaped as Synapse 1.50 makes it: a refresh token names the one
-- that replaced it (next_token_id), an access token the refresh token issued with it
-- (access_tokens.refresh_token_id, in V1 already); deleting a refresh token deletes its successor
-- and their access tokens, as Synapse's cascades do. On a database Synapse created it is there.

CREATE TABLE refresh_tokens (
    id BIGINT NOT NULL,
    user_id ${text} NOT NULL,
    device_id ${text} NOT NULL,
    token ${text} NOT NULL,
    next_token_id BIGINT,
    expiry_ts BIGINT,
    ultimate_session_expiry_ts BIGINT,
    CONSTRAINT refresh_tokens_pkey PRIMARY KEY (id),
    CONSTRAINT refresh_tokens_token_key UNIQUE (token),
    CONSTRAINT refresh_tokens_next_token_id_fkey FOREIGN KEY (next_token_id) REFERENCES refresh_tokens (id) ON DELETE CASCADE
);
-- Synapse has none of these indexes; here the cascades and the deletes by device find their rows by them.
CREATE INDEX refresh_tokens_next_token_id ON refresh_tokens (next_token_id);
CREATE INDEX refresh_tokens_device_index ON refresh_tokens (user_id, device_id);

ALTER TABLE access_tokens ADD CONSTRAINT access_tokens_refresh_token_id_fkey
    FOREIGN KEY (refresh_token_id) REFERENCES refresh_tokens (id) ON DELETE CASCADE;
CREATE INDEX access_tokens_refresh_token_id_idx ON access_tokens (refresh_token_id);
