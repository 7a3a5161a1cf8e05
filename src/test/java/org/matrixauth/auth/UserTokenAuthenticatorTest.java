package org.matrixauth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.github.nitram509.jmacaroons.MacaroonsBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.matrixauth.error.MatrixException;
import org.matrixauth.macaroon.GuestMacaroonVerifier;
import org.matrixauth.store.TokenLookup;
import org.matrixauth.store.TokenStore;
import org.matrixauth.store.UserRecord;
import org.matrixauth.store.UserStore;

/** TOK-2..9 and MAC-4/MAC-5 decisions, on mocked stores and a fixed clock. */
class UserTokenAuthenticatorTest {
    static final long NOW = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();
    static final String KEY = "secret";

    private final TokenStore tokens = mock(TokenStore.class);
    private final UserStore users = mock(UserStore.class);
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    private UserTokenAuthenticator authenticator(boolean accountValidity) {
        return new UserTokenAuthenticator(tokens, users, new GuestMacaroonVerifier(KEY, clock), accountValidity, clock);
    }

    private void given(String token, String userId, String owner, Long validUntil, boolean used, boolean guest, boolean locked) {
        when(tokens.findByToken(token)).thenReturn(Optional.of(
                new TokenLookup(userId, owner, 9L, "DEV", validUntil, used, guest, false, locked)));
    }

    private static MatrixException refused(Runnable action) {
        return assertThrows(MatrixException.class, action::run);
    }

    @Test
    void tok2UnknownTokenIsNotSoftLogout() {
        MatrixException e = refused(() -> authenticator(false).authenticate("nope", AuthOptions.STRICT, (t, l) -> {}));
        assertEquals(401, e.status());
        assertEquals("M_UNKNOWN_TOKEN", e.errcode());
        assertEquals("Unrecognised access token", e.error());
        assertEquals(Map.of("soft_logout", false), e.extraFields());
    }

    @Test
    void tok3ExpiredTokenIsSoftLogout() {
        given("t", "@a:test", "@a:test", NOW - 1, true, false, false);
        MatrixException e = refused(() -> authenticator(false).authenticate("t", AuthOptions.STRICT, (t, l) -> {}));
        assertEquals(401, e.status());
        assertEquals("M_UNKNOWN_TOKEN", e.errcode());
        assertEquals("Access token has expired", e.error());
        assertEquals(Map.of("soft_logout", true), e.extraFields());
    }

    @Test
    void tok3ExpiredTokenPassesWhereTheRouteAllowsIt() {
        given("t", "@a:test", "@a:test", NOW - 1, true, false, false);
        assertEquals("@a:test", authenticator(false).authenticate("t", new AuthOptions(false, true, false), (t, l) -> {}).userId());
    }

    @Test
    void tok3TokenValidUntilLaterPasses() {
        given("t", "@a:test", "@a:test", NOW + 1, true, false, false);
        assertEquals("@a:test", authenticator(false).authenticate("t", AuthOptions.STRICT, (t, l) -> {}).userId());
    }

    @Test
    void tok4PuppetTokenActsAsThePuppetedUser() {
        given("t", "@alice:test", "@admin:test", null, true, false, false);
        Requester requester = authenticator(false).authenticate("t", AuthOptions.STRICT, (t, l) -> {});
        assertEquals("@alice:test", requester.userId());
        assertEquals("@admin:test", requester.authenticatedEntity());
        assertEquals("DEV", requester.deviceId());
        assertEquals(9L, requester.accessTokenId());
        assertTrue(requester.isPuppeted());
    }

    @Test
    void tok5GuestRefusedAfterTheListenerHeardOfIt() {
        given("t", "@g:test", "@g:test", null, true, true, false);
        boolean[] heard = {false};
        MatrixException e = refused(() -> authenticator(false).authenticate("t", AuthOptions.STRICT, (t, l) -> heard[0] = true));
        assertEquals(403, e.status());
        assertEquals("M_GUEST_ACCESS_FORBIDDEN", e.errcode());
        assertEquals("Guest access not allowed", e.error());
        assertTrue(heard[0]);
    }

    @Test
    void tok5GuestAllowedWhereTheRouteAllowsGuests() {
        given("t", "@g:test", "@g:test", null, true, true, false);
        assertTrue(authenticator(false).authenticate("t", new AuthOptions(true, false, false), (t, l) -> {}).isGuest());
    }

    @Test
    void tok6FreshTokenIsMarkedUsedOnce() {
        given("t", "@a:test", "@a:test", null, false, false, false);
        authenticator(false).authenticate("t", AuthOptions.STRICT, (t, l) -> {});
        verify(tokens).markUsed("t", 9L);
    }

    @Test
    void tok6UsedTokenIsNotWrittenAgain() {
        given("t", "@a:test", "@a:test", null, true, false, false);
        authenticator(false).authenticate("t", AuthOptions.STRICT, (t, l) -> {});
        verify(tokens, never()).markUsed(anyString(), anyLong());
    }

    @Test
    void tok7LockedUserIsRefusedWithSoftLogout() {
        given("t", "@a:test", "@a:test", null, true, false, true);
        MatrixException e = refused(() -> authenticator(false).authenticate("t", AuthOptions.STRICT, (t, l) -> {}));
        assertEquals(401, e.status());
        assertEquals("M_USER_LOCKED", e.errcode());
        assertEquals("User account has been locked", e.error());
        assertEquals(Map.of("soft_logout", true), e.extraFields());
    }

    @Test
    void tok7LockedUserPassesWhereTheRouteAllowsLocked() {
        given("t", "@a:test", "@a:test", null, true, false, true);
        assertEquals("@a:test", authenticator(false).authenticate("t", new AuthOptions(false, false, true), (t, l) -> {}).userId());
    }

    @Test
    void tok9ExpiredAccountIsRefusedWhenAccountValidityIsOn() {
        given("t", "@a:test", "@a:test", null, true, false, false);
        when(users.accountExpiresAt("@a:test")).thenReturn(OptionalLong.of(NOW - 1));
        MatrixException e = refused(() -> authenticator(true).authenticate("t", AuthOptions.STRICT, (t, l) -> {}));
        assertEquals(403, e.status());
        assertEquals("ORG_MATRIX_EXPIRED_ACCOUNT", e.errcode());
        assertEquals("User account has expired", e.error());
        // Allowed where expired tokens are, and not looked at at all when the feature is off.
        assertEquals("@a:test", authenticator(true).authenticate("t", new AuthOptions(false, true, false), (t, l) -> {}).userId());
        assertEquals("@a:test", authenticator(false).authenticate("t", AuthOptions.STRICT, (t, l) -> {}).userId());
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
        Requester requester = authenticator(false).authenticate(guestMacaroon("@g:test"), new AuthOptions(true, false, false), (t, l) -> {});
        assertEquals("@g:test", requester.userId());
        assertEquals(UserTokenAuthenticator.GUEST_DEVICE_ID, requester.deviceId());
        assertEquals("@g:test", requester.authenticatedEntity());
        assertNull(requester.accessTokenId());
        assertTrue(requester.isGuest());
        verify(tokens, never()).markUsed(anyString(), anyLong());
    }

    @Test
    void mac4MacaroonForARegularUserIsRefused() {
        when(users.findUser("@a:test")).thenReturn(Optional.of(new UserRecord("@a:test", false, false, false, false, false, null, null, 0)));
        MatrixException e = refused(() -> authenticator(false).authenticate(guestMacaroon("@a:test"), new AuthOptions(true, false, false), (t, l) -> {}));
        assertEquals("M_UNKNOWN_TOKEN", e.errcode());
    }

    @Test
    void mac4MacaroonForAnUnknownUserIsRefused() {
        MatrixException e = refused(() -> authenticator(false).authenticate(guestMacaroon("@ghost:test"), new AuthOptions(true, false, false), (t, l) -> {}));
        assertEquals("M_UNKNOWN_TOKEN", e.errcode());
        assertFalse(e.extraFields().isEmpty());
    }
}
