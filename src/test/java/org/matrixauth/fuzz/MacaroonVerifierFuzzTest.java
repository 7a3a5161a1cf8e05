package org.matrixauth.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Clock;
import org.matrixauth.macaroon.GuestMacaroonVerifier;

/** MAC-6: any string, parsed by jmacaroons and checked caveat by caveat, is a guest id or nothing. */
class MacaroonVerifierFuzzTest {
    private final GuestMacaroonVerifier verifier = new GuestMacaroonVerifier("fuzz-key", Clock.systemUTC());

    @FuzzTest(maxDuration = "60s")
    void verifyAnything(String token) {
        verifier.verify(token).ifPresent(guest -> assertTrue(token.length() > 20, "a real macaroon: " + token));
    }
}
