package org.matrixauth.ratelimit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.matrixauth.testing.IssuedTokens;

/** The expected checksums were computed with Python's zlib.crc32 and a transcription of each issuer's base62_encode. */
class TokenChecksumsTest {
    @Test
    @DisplayName("FLOOD-1 Synapse's checksum: zlib.crc32 of 'syt_YWxpY2U_abcdefghijklmnopqrst' is 1349959498, base62 '1TMI8I'")
    void synapsesChecksumFits() {
        assertTrue(TokenChecksums.fit("syt_YWxpY2U_abcdefghijklmnopqrst_1TMI8I"));
        assertTrue(TokenChecksums.fit(IssuedTokens.synapse("alice")), "a token minted as Synapse does");
    }

    @Test
    @DisplayName("FLOOD-1 MAS's checksum: least significant digit first, padded on the left ('mat_' 973361794 is 'mr7s31')")
    void masChecksumFits() {
        assertTrue(TokenChecksums.fit("mat_abcdefghijklmnopqrstuvwxyzABCD_mr7s31"));
        assertTrue(TokenChecksums.fit("mct_0123456789abcdefghijklmnopqrst_ojZdm1"), "a compatibility token");
        assertFalse(TokenChecksums.fit("mat_abcdefghijklmnopqrstuvwxyzABCD_13s7rm"), "Synapse's digit order is not MAS's");
        assertFalse(TokenChecksums.fit("mar_abcdefghijklmnopqrstuvwxyzABCD_mr7s31"), "a refresh token is no access token");
        assertTrue(TokenChecksums.fit(IssuedTokens.mas()), "a token minted as MAS does");
    }

    @Test
    @DisplayName("FLOOD-1 anything else does not fit: a guess, a wrong checksum, another prefix, more or fewer parts")
    void othersDoNot() {
        assertFalse(TokenChecksums.fit("guess_0c5e7a4d"));
        assertFalse(TokenChecksums.fit("syt_YWxpY2U_abcdefghijklmnopqrst_1TMI8J"));
        assertFalse(TokenChecksums.fit("syr_YWxpY2U_abcdefghijklmnopqrst_1TMI8I"));
        assertFalse(TokenChecksums.fit("syt_YWxpY2U_abcdefghij_klmnopqrst_1TMI8I"));
        assertFalse(TokenChecksums.fit("syt_YWxpY2Uabcdefghijklmnopqrst_1TMI8I"));
        assertFalse(TokenChecksums.fit("syt_YWxpY2U_abcdefghijklmnopqrst_"));
        assertFalse(TokenChecksums.fit("syt_"));
        assertFalse(TokenChecksums.fit("mat_abcdefghijklmnopqrstuvwxyzABC_mr7s31"));
        assertFalse(TokenChecksums.fit("mat_abcdefghijklmnopqrstuvwxyzAB_D_mr7s31"));
        assertFalse(TokenChecksums.fit("mat_"));
    }
}
