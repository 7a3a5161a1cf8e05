package org.matrixauth;

import java.time.Clock;
import org.matrixauth.api.PublicApi;
import org.matrixauth.auth.BlockingChecks;
import org.matrixauth.cache.AuthCaches;
import org.matrixauth.config.TokenLifetimesConfig;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;
import org.matrixauth.store.NewSession;
import org.matrixauth.store.RefreshTokenLookup;
import org.matrixauth.store.RefreshTokenStore;
import org.matrixauth.token.SynapseTokenFormat;

/**
 * Refresh tokens as Synapse issues and consumes them (Matrix v1.3, SPEC RFT): a login that asks
 * for one gets a short-lived access token with it ({@link #issue}), and each refresh replaces both
 * ({@link #refresh}), never beyond the session's ultimate expiry ({@code session_lifetime}). A
 * refresh token stays valid until its successor's access token has been used or the successor has
 * itself been refreshed, so that a client that lost an answer may ask again.
 */
@PublicApi
public final class RefreshTokens {
    private final TokenLifetimesConfig lifetimes;
    private final RefreshTokenStore store;
    private final BlockingChecks blocking;
    private final AuthCaches caches;
    private final Clock clock;

    RefreshTokens(TokenLifetimesConfig lifetimes, RefreshTokenStore store, BlockingChecks blocking, AuthCaches caches,
                  Clock clock) {
        this.lifetimes = lifetimes;
        this.store = store;
        this.blocking = blocking;
        this.caches = caches;
        this.clock = clock;
    }

    /** RFT-1: whether a login asking for a refresh token gets one ({@code refreshable_access_token_lifetime} is not null). */
    public boolean enabled() {
        return lifetimes.refreshTokensEnabled();
    }

    /**
     * RFT-1: a refresh token and its access token for a device the homeserver has registered, as
     * Synapse's {@code register_device} makes them, after auth blocking (BLK-7).
     *
     * @param appserviceGhost the tokens come with an appservice's registration of the user
     *     (Synapse's {@code is_appservice_ghost}), which auth blocking lets through unless
     *     {@code track_appservice_user_ips} is on
     * @throws IllegalStateException when refresh tokens are off (ask {@link #enabled()} first)
     * @throws MatrixException when auth blocking refuses the user
     */
    public SessionTokens issue(String userId, String deviceId, boolean appserviceGhost) {
        if (!enabled()) {
            throw new IllegalStateException("refresh tokens are off: refreshable_access_token_lifetime is null");
        }
        long now = clock.millis();
        blocking.checkNewAccessToken(userId, appserviceGhost);
        NewSession session = newSession(userId, deviceId, now, lifetimes.sessionEndMs(now));
        store.insert(session, now);
        return answer(session, now);
    }

    /**
     * RFT-2..5: consumes a refresh token for a new access token and refresh token, with Synapse's
     * checks in Synapse's order ({@code AuthHandler.refresh_token}): the token's shape before the
     * database, then its existence, its successor, its expiry, the session's.
     *
     * @throws MatrixException Synapse's refusal (401 {@code M_UNKNOWN_TOKEN}, 403 {@code M_FORBIDDEN}),
     *     or auth blocking's
     */
    public SessionTokens refresh(String refreshToken) {
        if (!SynapseTokenFormat.fits(SynapseTokenFormat.REFRESH, refreshToken)) {
            throw new MatrixException(401, Errcode.M_UNKNOWN_TOKEN, "invalid refresh token");
        }
        long now = clock.millis();
        RefreshTokenStore.Refreshed refreshed = store.refresh(refreshToken, now, existing -> successor(existing, now))
                .orElseThrow(() -> new MatrixException(401, Errcode.M_UNKNOWN_TOKEN, "refresh token does not exist"));
        refreshed.deletedAccessTokenIds().forEach(caches::invalidateToken); // CACHE-2: the replaced successor's
        return answer(refreshed.session(), now);
    }

    private NewSession successor(RefreshTokenLookup existing, long now) {
        if (existing.nextAccessTokenUsed() || existing.nextRefreshTokenRefreshed()) {
            throw MatrixException.forbidden("refresh token isn't valid anymore");
        }
        if (existing.expiryTs() != null && existing.expiryTs() < now) {
            throw MatrixException.forbidden("The supplied refresh token has expired");
        }
        Long ultimate = existing.ultimateSessionExpiryTs();
        if (ultimate != null && ultimate < now) {
            throw MatrixException.forbidden("The session has expired and can no longer be refreshed");
        }
        blocking.checkNewAccessToken(existing.userId(), false);
        return newSession(existing.userId(), existing.deviceId(), now, ultimate);
    }

    private NewSession newSession(String userId, String deviceId, long now, Long sessionEnd) {
        return new NewSession(userId, deviceId, SynapseTokenFormat.generate(SynapseTokenFormat.ACCESS, userId),
                lifetimes.refreshableValidUntilMs(now, sessionEnd), SynapseTokenFormat.generate(SynapseTokenFormat.REFRESH, userId),
                lifetimes.refreshTokenExpiryMs(now, sessionEnd), sessionEnd);
    }

    private static SessionTokens answer(NewSession session, long now) {
        Long validUntil = session.accessTokenValidUntilMs();
        return new SessionTokens(session.accessToken(), session.refreshToken(), validUntil,
                validUntil == null ? null : validUntil - now);
    }
}
