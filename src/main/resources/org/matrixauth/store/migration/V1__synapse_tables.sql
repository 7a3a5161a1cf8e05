-- The tables authentication reads and writes, shaped exactly as Synapse 1.50 makes them on
-- PostgreSQL (names, types, constraints, indexes), plus users.locked, which later Synapse
-- versions add. ${text} is TEXT on PostgreSQL and VARCHAR on H2, where TEXT would be a CLOB
-- that cannot be indexed.

CREATE TABLE users (
    name ${text},
    password_hash ${text},
    creation_ts BIGINT,
    admin SMALLINT DEFAULT 0 NOT NULL,
    upgrade_ts BIGINT,
    is_guest SMALLINT DEFAULT 0 NOT NULL,
    appservice_id ${text},
    consent_version ${text},
    consent_server_notice_sent ${text},
    user_type ${text},
    deactivated SMALLINT DEFAULT 0 NOT NULL,
    shadow_banned BOOLEAN,
    locked BOOLEAN DEFAULT FALSE NOT NULL,
    CONSTRAINT users_name_key UNIQUE (name)
);
CREATE INDEX users_creation_ts ON users (creation_ts);

CREATE TABLE access_tokens (
    id BIGINT NOT NULL,
    user_id ${text} NOT NULL,
    device_id ${text},
    token ${text} NOT NULL,
    valid_until_ms BIGINT,
    puppets_user_id ${text},
    last_validated BIGINT,
    refresh_token_id BIGINT,
    used BOOLEAN,
    CONSTRAINT access_tokens_pkey PRIMARY KEY (id),
    CONSTRAINT access_tokens_token_key UNIQUE (token)
);
CREATE INDEX access_tokens_device_id ON access_tokens (user_id, device_id);

CREATE TABLE devices (
    user_id ${text} NOT NULL,
    device_id ${text} NOT NULL,
    display_name ${text},
    last_seen BIGINT,
    ip ${text},
    user_agent ${text},
    hidden BOOLEAN DEFAULT FALSE,
    CONSTRAINT device_uniqueness UNIQUE (user_id, device_id)
);

CREATE TABLE user_ips (
    user_id ${text} NOT NULL,
    access_token ${text} NOT NULL,
    device_id ${text},
    ip ${text} NOT NULL,
    user_agent ${text} NOT NULL,
    last_seen BIGINT NOT NULL
);
CREATE UNIQUE INDEX user_ips_user_token_ip_unique_index ON user_ips (user_id, access_token, ip);
CREATE INDEX user_ips_device_id ON user_ips (user_id, device_id, last_seen);
CREATE INDEX user_ips_last_seen ON user_ips (user_id, last_seen);
CREATE INDEX user_ips_last_seen_only ON user_ips (last_seen);

CREATE TABLE monthly_active_users (
    user_id ${text} NOT NULL,
    "timestamp" BIGINT NOT NULL
);
CREATE UNIQUE INDEX monthly_active_users_users ON monthly_active_users (user_id);
CREATE INDEX monthly_active_users_time_stamp ON monthly_active_users ("timestamp");

CREATE TABLE user_threepids (
    user_id ${text} NOT NULL,
    medium ${text} NOT NULL,
    address ${text} NOT NULL,
    validated_at BIGINT NOT NULL,
    added_at BIGINT NOT NULL,
    CONSTRAINT medium_address UNIQUE (medium, address)
);
CREATE INDEX user_threepids_medium_address ON user_threepids (medium, address);
CREATE INDEX user_threepids_user_id ON user_threepids (user_id);

CREATE TABLE account_validity (
    user_id ${text} NOT NULL,
    expiration_ts_ms BIGINT NOT NULL,
    email_sent BOOLEAN NOT NULL,
    renewal_token ${text},
    token_used_ts_ms BIGINT,
    CONSTRAINT account_validity_pkey PRIMARY KEY (user_id)
);
