package org.matrixauth.token;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Synapse's token shapes, checked as {@code _verify_refresh_token} checks them (RFT-3). */
class SynapseTokenFormatTest {
    /** Made by Synapse's own algorithm ({@code base62_encode(zlib.crc32(base), minwidth=6)}) in Python. */
    private static final String SYNAPSES_REFRESH_TOKEN = "syr_YWxpY2U_QwErTyUiOpAsDfGhJkLz_1BDSnQ";

    @Test
    @DisplayName("RFT-3: a refresh token Synapse made verifies; one with another prefix, part count or crc does not")
    void rft3ARefreshTokenVerifiesAsSynapseVerifiesIt() {
        assertTrue(SynapseTokenFormat.fits(SynapseTokenFormat.REFRESH, SYNAPSES_REFRESH_TOKEN));
        assertFalse(SynapseTokenFormat.fits(SynapseTokenFormat.ACCESS, SYNAPSES_REFRESH_TOKEN));
        assertFalse(SynapseTokenFormat.fits(SynapseTokenFormat.REFRESH, "syr_YWxpY2U_QwErTyUiOpAsDfGhJkLz_1BDSnR"));
        assertFalse(SynapseTokenFormat.fits(SynapseTokenFormat.REFRESH, "syr_YWxpY2U_QwErTyUi_OpAsDfGhJkLz_1BDSnQ"));
        assertFalse(SynapseTokenFormat.fits(SynapseTokenFormat.REFRESH, "syr_YWxpY2U_1BDSnQ"));
    }

    @Test
    @DisplayName("FLOOD-1 the crc is Synapse's: base62_encode(crc32(base), minwidth=6), as computed by Python's zlib")
    void flood1TheChecksumIsSynapses() {
        // zlib.crc32(b"syt_YWxpY2U_abcdefghijklmnopqrst") == 1349959498, Synapse's base62 of it "1TMI8I".
        assertTrue(SynapseTokenFormat.fits(SynapseTokenFormat.ACCESS, "syt_YWxpY2U_abcdefghijklmnopqrst_1TMI8I"));
        assertFalse(SynapseTokenFormat.fits(SynapseTokenFormat.ACCESS, "syt_YWxpY2U_abcdefghijklmnopqrst_1TMI8J"));
    }

    @Test
    @DisplayName("RFT-1: generated tokens carry the base64 localpart and verify")
    void rft1GeneratedTokensVerify() {
        String token = SynapseTokenFormat.generate(SynapseTokenFormat.REFRESH, "@alice:test");
        assertTrue(token.startsWith("syr_YWxpY2U_"), token);
        assertTrue(SynapseTokenFormat.fits(SynapseTokenFormat.REFRESH, token), token);
    }
}
