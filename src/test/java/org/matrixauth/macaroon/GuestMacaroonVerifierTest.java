package org.matrixauth.macaroon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.nitram509.jmacaroons.MacaroonsBuilder;
import com.github.nitram509.jmacaroons.MacaroonsSerializer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MAC-1..3 and MAC-6: guest macaroons, including ones that pymacaroons (Synapse's library) made. */
class GuestMacaroonVerifierTest {
    /** The key the pymacaroons constants below were signed with. */
    static final String PYMACAROONS_KEY = "pymacaroons-test-secret";

    /**
     * Made with Debian's python3-pymacaroons 0.13.0:
     * <pre>
     * m = pymacaroons.Macaroon(location="test", identifier="key", key="pymacaroons-test-secret")
     * for c in ["gen = 1", "type = access", "user_id = @guest1:test", "guest = true"]:
     *     m.add_first_party_caveat(c)
     * m.serialize()
     * </pre>
     */
    static final String PYMACAROONS_GUEST = "MDAxMmxvY2F0aW9uIHRlc3QKMDAxM2lkZW50aWZpZXIga2V5CjAwMTBjaWQgZ2VuID0gMQowMDE2Y2lkIHR5cGUgPSBhY2Nlc3MKMDAxZmNpZCB1c2VyX2lkID0gQGd1ZXN0MTp0ZXN0CjAwMTVjaWQgZ3Vlc3QgPSB0cnVlCjAwMmZzaWduYXR1cmUgLcRyWlPfAsiaJVVzh6FYNWVR15M66LPBaDayT1KpilMK";

    /** As above, with the further caveats {@code time < 4102444800000} (2100-01-01) and {@code nonce = abc123}. */
    static final String PYMACAROONS_GUEST_WITH_TIME_AND_NONCE = "MDAxMmxvY2F0aW9uIHRlc3QKMDAxM2lkZW50aWZpZXIga2V5CjAwMTBjaWQgZ2VuID0gMQowMDE2Y2lkIHR5cGUgPSBhY2Nlc3MKMDAxZmNpZCB1c2VyX2lkID0gQGd1ZXN0MTp0ZXN0CjAwMTVjaWQgZ3Vlc3QgPSB0cnVlCjAwMWRjaWQgdGltZSA8IDQxMDI0NDQ4MDAwMDAKMDAxN2NpZCBub25jZSA9IGFiYzEyMwowMDJmc2lnbmF0dXJlIHYMk5uC9GPrXNHCOzUY6IfPXDjS688U0lcdd6DMjv1LCg";

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final GuestMacaroonVerifier verifier =
            new GuestMacaroonVerifier(PYMACAROONS_KEY, Clock.fixed(NOW, ZoneOffset.UTC));

    private static String mint(String key, String... caveats) {
        MacaroonsBuilder builder = new MacaroonsBuilder("test", key, "key");
        for (String caveat : caveats) {
            builder.add_first_party_caveat(caveat);
        }
        return builder.getMacaroon().serialize();
    }

    @Test
    void mac1PymacaroonsGuestTokenVerifies() {
        assertEquals(Optional.of("@guest1:test"), verifier.guestUserId(PYMACAROONS_GUEST));
    }

    @Test
    void mac2PymacaroonsTokenWithTimeAndNonceVerifies() {
        assertEquals(Optional.of("@guest1:test"), verifier.guestUserId(PYMACAROONS_GUEST_WITH_TIME_AND_NONCE));
    }

    @Test
    void mac1PymacaroonsTokenWithAnotherKeyFails() {
        GuestMacaroonVerifier otherKey = new GuestMacaroonVerifier("another-key", Clock.systemUTC());
        assertEquals(Optional.empty(), otherKey.guestUserId(PYMACAROONS_GUEST));
    }

    @Test
    void mac1OwnMintedTokenVerifies() {
        String token = mint(PYMACAROONS_KEY, "gen = 1", "type = access", "user_id = @g:test", "guest = true",
                "time < " + (NOW.toEpochMilli() + 60_000), "nonce = xyz");
        assertEquals(Optional.of("@g:test"), verifier.guestUserId(token));
    }

    @Test
    void mac2ExpiredTimeCaveatFails() {
        String token = mint(PYMACAROONS_KEY, "gen = 1", "type = access", "user_id = @g:test", "guest = true",
                "time < " + NOW.toEpochMilli());
        assertEquals(Optional.empty(), verifier.guestUserId(token));
    }

    @ParameterizedTest(name = "MAC-2 caveat refused: {0}")
    @ValueSource(strings = {"gen = 2", "type = login", "time < soon", "admin = true", "user_id = @other:test", ""})
    void mac2UnknownWrongOrConflictingCaveatsFail(String caveat) {
        String token = mint(PYMACAROONS_KEY, "gen = 1", "type = access", "user_id = @g:test", "guest = true", caveat);
        assertEquals(Optional.empty(), verifier.guestUserId(token));
    }

    @Test
    void mac2UserIdIsRequired() {
        assertEquals(Optional.empty(), verifier.guestUserId(mint(PYMACAROONS_KEY, "gen = 1", "type = access", "guest = true")));
    }

    @Test
    void mac2RepeatingTheSameUserIdIsNoConflict() {
        String token = mint(PYMACAROONS_KEY, "user_id = @g:test", "user_id = @g:test", "guest = true");
        assertEquals(Optional.of("@g:test"), verifier.guestUserId(token));
    }

    @Test
    void mac3MacaroonWithoutGuestCaveatIsNotAccepted() {
        String token = mint(PYMACAROONS_KEY, "gen = 1", "type = access", "user_id = @g:test");
        assertEquals(Optional.empty(), verifier.guestUserId(token));
    }

    @Test
    void mac6ThirdPartyCaveatsAreRefused() {
        String token = new MacaroonsBuilder("test", PYMACAROONS_KEY, "key")
                .add_first_party_caveat("user_id = @g:test")
                .add_first_party_caveat("guest = true")
                .add_third_party_caveat("elsewhere", "third-party-key", "id")
                .getMacaroon()
                .serialize();
        assertEquals(Optional.empty(), verifier.guestUserId(token));
    }

    @ParameterizedTest(name = "MAC-6 garbage refused: [{0}]")
    @ValueSource(strings = {"", "x", "not a macaroon", "MDAx", "AgEEdGVzdAIDa2V5AAAGIO7F", "====",
            "MDAxMmxvY2F0aW9uIHRlc3QKMDAxM2lkZW50aWZpZXIga2V5Cg", "syt_YWxpY2U_abcdefghij_0000"})
    void mac6AnythingMalformedIsRefusedNotThrown(String token) {
        assertEquals(Optional.empty(), verifier.guestUserId(token));
    }

    @Test
    void mac6TruncatedAndTamperedPymacaroonsTokensAreRefused() {
        for (int length = 0; length < PYMACAROONS_GUEST.length(); length += 7) {
            assertEquals(Optional.empty(), verifier.guestUserId(PYMACAROONS_GUEST.substring(0, length)));
        }
        String tampered = PYMACAROONS_GUEST.replace("QGd1ZXN0MTp0ZXN0", "QGd1ZXN0Mjp0ZXN0"); // @guest1 -> @guest2
        assertEquals(Optional.empty(), verifier.guestUserId(tampered));
    }

    @Test
    void mac6ValidMacaroonInV2FormatIsRefused() {
        String v2 = new MacaroonsBuilder("test", PYMACAROONS_KEY, "key")
                .add_first_party_caveat("user_id = @g:test")
                .add_first_party_caveat("guest = true")
                .getMacaroon()
                .serialize(MacaroonsSerializer.V2);
        assertEquals(Optional.empty(), verifier.guestUserId(v2));
    }

    @Test
    void mac1WithoutASecretKeyNoMacaroonIsAccepted() {
        assertEquals(Optional.empty(), new GuestMacaroonVerifier(null, Clock.systemUTC()).guestUserId(PYMACAROONS_GUEST));
    }
}
