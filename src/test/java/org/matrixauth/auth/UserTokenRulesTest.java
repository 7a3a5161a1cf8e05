package org.matrixauth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.github.nitram509.jmacaroons.MacaroonsBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.matrixauth.error.MatrixException;
import org.matrixauth.macaroon.GuestMacaroonVerifier;
import org.matrixauth.ratelimit.FailedTokenChecks;
import org.matrixauth.config.FailedTokenChecksConfig;
import org.matrixauth.config.MauConfig;
import org.matrixauth.store.MauStore;
import org.matrixauth.store.TokenLookup;
import org.matrixauth.store.TokenStore;
import org.matrixauth.account.UserRecord;
import org.matrixauth.token.AccessTokenExtractor;
import org.matrixauth.tracking.ClientIpRecorder;
import org.matrixauth.tracking.MauRecorder;
import org.matrixauth.tracking.MonthlyActiveUsers;

import org.matrixauth.store.UserStore;

/**
 * TOK-2..9 and MAC-4/MAC-5 decisions, through the resolver with Synapse's access tokens and guest
 * macaroons, on mocked stores and a fixed clock.
 */
class UserTokenRulesTest {
    static final long NOW = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();
    static final String KEY = "secret";

    private final TokenStore tokens = mock(TokenStore.class);
    private final UserStore users = mock(UserStore.class);
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    private final ClientIpRecorder clientIps = mock(ClientIpRecorder.class);
    private final TokenUseMarks useMarks = new TokenUseMarks(tokens, 100);

    private RequesterResolver resolver(boolean accountValidity) {
        MonthlyActiveUsers mau = new MonthlyActiveUsers(mock(MauStore.class), users, MauConfig.OFF, clock, Duration.ZERO, 100);
        GuestMacaroonAuthenticator guests = new GuestMacaroonAuthenticator(new GuestMacaroonVerifier(KEY, clock), users,
                Duration.ofSeconds(1), 1000, clock);
        return new RequesterResolver(new AccessTokenExtractor(true),
                List.of(new AccessTokenAuthenticator(tokens, useMarks, guests::isRecentlyVerified),
                        guests),
                new RequestPolicy(users, null, accountValidity, clock),
                new RequestRecorder(clientIps, new MauRecorder(mau, 10), false, false, clock),
                new FailedTokenChecks(new FailedTokenChecksConfig(5, 50, 5), clock));
    }

    /** A request that carries the token in its Authorization header, through the resolver. */
    private Requester authenticate(boolean accountValidity, String token, AuthOptions options) {
        return resolver(accountValidity).resolve(
                new ClientRequest(List.of("Bearer " + token), Map.of(), "127.0.0.1", null), options);
    }

    private void given(String token, String userId, String owner, Long validUntil, boolean used, boolean guest, boolean locked) {
        when(tokens.findByToken(token)).thenReturn(Optional.of(
                new TokenLookup(userId, owner, 9L, "DEV", validUntil, used, false, guest, false, locked, false)));
    }

    private static MatrixException refused(Runnable action) {
        return assertThrows(MatrixException.class, action::run);
    }

    @Test
    void tok2UnknownTokenIsNotSoftLogout() {
        MatrixException e = refused(() -> authenticate(false, "nope", AuthOptions.STRICT));
        assertEquals(401, e.status());
        assertEquals("M_UNKNOWN_TOKEN", e.errcode());
        assertEquals("Unrecognised access token", e.error());
        assertEquals(Map.of("soft_logout", false), e.extraFields());
    }

    @Test
    void tok3ExpiredTokenIsSoftLogout() {
        given("t", "@a:test", "@a:test", NOW - 1, true, false, false);
        MatrixException e = refused(() -> authenticate(false, "t", AuthOptions.STRICT));
        assertEquals(401, e.status());
        assertEquals("M_UNKNOWN_TOKEN", e.errcode());
        assertEquals("Access token has expired", e.error());
        assertEquals(Map.of("soft_logout", true), e.extraFields());
    }

    @Test
    void tok3ExpiredTokenPassesWhereTheRouteAllowsIt() {
        given("t", "@a:test", "@a:test", NOW - 1, true, false, false);
        assertEquals("@a:test", authenticate(false, "t", AuthOptions.STRICT.allowingExpired()).userId());
    }

    @Test
    void tok3TokenValidUntilLaterPasses() {
        given("t", "@a:test", "@a:test", NOW + 1, true, false, false);
        assertEquals("@a:test", authenticate(false, "t", AuthOptions.STRICT).userId());
    }

    @Test
    void tok4PuppetTokenActsAsThePuppetedUser() {
        given("t", "@alice:test", "@admin:test", null, true, false, false);
        Requester requester = authenticate(false, "t", AuthOptions.STRICT);
        assertEquals("@alice:test", requester.userId());
        assertEquals("@admin:test", requester.authenticatedEntity());
        assertEquals("DEV", requester.deviceId());
        assertEquals(9L, requester.accessTokenId());
        assertTrue(requester.isPuppeted());
    }

    @Test
    void tok5GuestRefusedAfterTheRequestWasRecorded() {
        given("t", "@g:test", "@g:test", null, true, true, false);
        MatrixException e = refused(() -> authenticate(false, "t", AuthOptions.STRICT));
        assertEquals(403, e.status());
        assertEquals("M_GUEST_ACCESS_FORBIDDEN", e.errcode());
        assertEquals("Guest access not allowed", e.error());
        verify(clientIps).record("@g:test", "t", "127.0.0.1", "", "DEV", NOW);
    }

    @Test
    void tok5GuestAllowedWhereTheRouteAllowsGuests() {
        given("t", "@g:test", "@g:test", null, true, true, false);
        assertTrue(authenticate(false, "t", AuthOptions.STRICT.allowingGuests()).isGuest());
    }

    @Test
    @DisplayName("TOK-6: a token not yet used is marked used, by the next flush, once")
    void tok6FreshTokenIsMarkedUsedOnce() {
        given("t", "@a:test", "@a:test", null, false, false, false);
        authenticate(false, "t", AuthOptions.STRICT);
        authenticate(false, "t", AuthOptions.STRICT);
        verify(tokens, never()).markUsed(any());
        useMarks.flush();
        verify(tokens).markUsed(Map.of("t", 9L));
        useMarks.flush();
        verify(tokens).markUsed(any());
    }

    @Test
    @DisplayName("TOK-6, RFT-4: a token issued by a refresh is marked used at once, on its first request")
    void tok6TokenOfARefreshIsMarkedAtOnce() {
        when(tokens.findByToken("t")).thenReturn(Optional.of(
                new TokenLookup("@a:test", "@a:test", 9L, "DEV", null, false, true, false, false, false, false)));
        authenticate(false, "t", AuthOptions.STRICT);
        verify(tokens).markUsed(Map.of("t", 9L));
    }

    @Test
    @DisplayName("TOK-6: a token already used is not written again")
    void tok6UsedTokenIsNotWrittenAgain() {
        given("t", "@a:test", "@a:test", null, true, false, false);
        authenticate(false, "t", AuthOptions.STRICT);
        verify(tokens, never()).markUsed(any());
    }

    @Test
    void tok7LockedUserIsRefusedWithSoftLogout() {
        given("t", "@a:test", "@a:test", null, true, false, true);
        MatrixException e = refused(() -> authenticate(false, "t", AuthOptions.STRICT));
        assertEquals(401, e.status());
        assertEquals("M_USER_LOCKED", e.errcode());
        assertEquals("User account has been locked", e.error());
        assertEquals(Map.of("soft_logout", true), e.extraFields());
    }

    @Test
    void tok7LockedUserPassesWhereTheRouteAllowsLocked() {
        given("t", "@a:test", "@a:test", null, true, false, true);
        assertEquals("@a:test", authenticate(false, "t", AuthOptions.STRICT.allowingLocked()).userId());
    }

    @Test
    void tok9ExpiredAccountIsRefusedWhenAccountValidityIsOn() {
        given("t", "@a:test", "@a:test", null, true, false, false);
        when(users.accountExpiresAt("@a:test")).thenReturn(OptionalLong.of(NOW - 1));
        MatrixException e = refused(() -> authenticate(true, "t", AuthOptions.STRICT));
        assertEquals(403, e.status());
        assertEquals("ORG_MATRIX_EXPIRED_ACCOUNT", e.errcode());
        assertEquals("User account has expired", e.error());
        // Allowed where expired tokens are, and not looked at at all when the feature is off.
        assertEquals("@a:test", authenticate(true, "t", AuthOptions.STRICT.allowingExpired()).userId());
        assertEquals("@a:test", authenticate(false, "t", AuthOptions.STRICT).userId());
    }

    private static String guestMacaroon(String userId) {
        return new MacaroonsBuilder("test", KEY, "key")
                .add_first_party_caveat("gen = 1")
                .add_first_party_caveat("type = access")
                .add_first_party_caveat("user_id = " + userId)
                .add_first_party_caveat("guest = true")
                .getMacaroon()
                .serialize();
    }

    @Test
    void mac4AndMac5RegisteredGuest() {
        when(users.findUser("@g:test")).thenReturn(Optional.of(new UserRecord("@g:test", true, false, false, false, false, null, null, 0)));
        Requester requester = authenticate(false, guestMacaroon("@g:test"), AuthOptions.STRICT.allowingGuests());
        assertEquals("@g:test", requester.userId());
        assertEquals(GuestMacaroonAuthenticator.GUEST_DEVICE_ID, requester.deviceId());
        assertEquals("@g:test", requester.authenticatedEntity());
        assertNull(requester.accessTokenId());
        assertTrue(requester.isGuest());
        verify(tokens, never()).markUsed(any());
    }

    @Test
    void mac4MacaroonForARegularUserIsRefused() {
        when(users.findUser("@a:test")).thenReturn(Optional.of(new UserRecord("@a:test", false, false, false, false, false, null, null, 0)));
        MatrixException e = refused(() -> authenticate(false, guestMacaroon("@a:test"), AuthOptions.STRICT.allowingGuests()));
        assertEquals("M_UNKNOWN_TOKEN", e.errcode());
    }

    @Test
    void mac4MacaroonForAnUnknownUserIsRefused() {
        MatrixException e = refused(() -> authenticate(false, guestMacaroon("@ghost:test"), AuthOptions.STRICT.allowingGuests()));
        assertEquals("M_UNKNOWN_TOKEN", e.errcode());
        assertFalse(e.extraFields().isEmpty());
    }
}
