package org.matrixauth.config;

import org.matrixauth.api.PublicApi;

/**
 * How long the tokens a login gives last, in Synapse's keys (its {@code RegistrationConfig}),
 * each in milliseconds and null where Synapse's is null (no limit, or refresh tokens off).
 *
 * @param refreshableAccessTokenLifetimeMs {@code refreshable_access_token_lifetime}: the lifetime
 *     of an access token that comes with a refresh token; null (an explicit {@code null}) turns
 *     refresh tokens off. Synapse's default is 5 minutes.
 * @param refreshTokenLifetimeMs {@code refresh_token_lifetime}: how long a refresh token may wait
 *     to be used; null for as long as the session lasts
 * @param nonrefreshableAccessTokenLifetimeMs {@code nonrefreshable_access_token_lifetime}: the
 *     lifetime of an access token without a refresh token
 * @param sessionLifetimeMs {@code session_lifetime}: how long a login lasts, refreshes included
 */
@PublicApi
public record TokenLifetimesConfig(
        Long refreshableAccessTokenLifetimeMs,
        Long refreshTokenLifetimeMs,
        Long nonrefreshableAccessTokenLifetimeMs,
        Long sessionLifetimeMs) {
    static final long DEFAULT_REFRESHABLE_ACCESS_TOKEN_LIFETIME_MS = 5 * 60_000L;

    /** RFT-1: whether a login that asks for a refresh token gets one. */
    public boolean refreshTokensEnabled() {
        return refreshableAccessTokenLifetimeMs != null;
    }

    /**
     * When a login's access token without a refresh token expires, as Synapse's
     * {@code register_device} sets it: {@code nonrefreshable_access_token_lifetime}, never beyond
     * {@code session_lifetime}; null for never. Not for guests (their macaroons carry no expiry)
     * nor for an admin's puppet token (its expiry is the admin's to give).
     */
    public Long nonrefreshableValidUntilMs(long nowMs) {
        return earlier(plus(nowMs, nonrefreshableAccessTokenLifetimeMs), sessionEndMs(nowMs));
    }

    /** RFT-2: the ultimate expiry of a session that begins now; null while {@code session_lifetime} is. */
    public Long sessionEndMs(long nowMs) {
        return plus(nowMs, sessionLifetimeMs);
    }

    /** RFT-1, RFT-2: when an access token given with a refresh token now expires, capped by the session's end. */
    public Long refreshableValidUntilMs(long nowMs, Long sessionEndMs) {
        return earlier(plus(nowMs, refreshableAccessTokenLifetimeMs), sessionEndMs);
    }

    /** RFT-1, RFT-2, RFT-5: when a refresh token given now expires, capped by the session's end; null for never. */
    public Long refreshTokenExpiryMs(long nowMs, Long sessionEndMs) {
        return earlier(plus(nowMs, refreshTokenLifetimeMs), sessionEndMs);
    }

    private static Long plus(long nowMs, Long lifetimeMs) {
        return lifetimeMs == null ? null : nowMs + lifetimeMs;
    }

    /** The earlier of two instants, null being never. */
    private static Long earlier(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
    }

    /**
     * Synapse refuses a lifetime longer than the session, but only a
     * {@code refreshable_access_token_lifetime} set explicitly: its default is never compared.
     */
    static TokenLifetimesConfig read(Settings reader) {
        Long session = reader.nullableDurationMs("session_lifetime", null);
        boolean refreshableSet = reader.node("refreshable_access_token_lifetime") != null;
        TokenLifetimesConfig config = new TokenLifetimesConfig(
                reader.nullableDurationMs("refreshable_access_token_lifetime", DEFAULT_REFRESHABLE_ACCESS_TOKEN_LIFETIME_MS),
                reader.nullableDurationMs("refresh_token_lifetime", null),
                reader.nullableDurationMs("nonrefreshable_access_token_lifetime", null),
                session);
        if (refreshableSet) {
            notLongerThanSession("refreshable_access_token_lifetime", config.refreshableAccessTokenLifetimeMs, session);
        }
        notLongerThanSession("nonrefreshable_access_token_lifetime", config.nonrefreshableAccessTokenLifetimeMs, session);
        notLongerThanSession("refresh_token_lifetime", config.refreshTokenLifetimeMs, session);
        return config;
    }

    private static void notLongerThanSession(String key, Long lifetimeMs, Long sessionMs) {
        if (lifetimeMs != null && sessionMs != null && sessionMs < lifetimeMs) {
            throw Settings.bad(key, "exceeds 'session_lifetime' (" + sessionMs + " ms)");
        }
    }
}
