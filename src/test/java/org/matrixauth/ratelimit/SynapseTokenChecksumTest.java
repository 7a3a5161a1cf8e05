package org.matrixauth.ratelimit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.matrixauth.testing.SynapseTokens;

class SynapseTokenChecksumTest {
    @Test
    @DisplayName("FLOOD-1 Synapse's checksum: zlib.crc32 of 'syt_YWxpY2U_abcdefghijklmnopqrst' is 1349959498, base62 '1TMI8I'")
    void synapsesChecksumFits() {
        assertTrue(SynapseTokenChecksum.fits("syt_YWxpY2U_abcdefghijklmnopqrst_1TMI8I"));
        assertTrue(SynapseTokenChecksum.fits(SynapseTokens.mint("alice")), "a token minted as Synapse does");
    }

    @Test
    @DisplayName("FLOOD-1 anything else does not fit: a guess, a wrong checksum, another prefix, more or fewer parts")
    void othersDoNot() {
        assertFalse(SynapseTokenChecksum.fits("guess_0c5e7a4d"));
        assertFalse(SynapseTokenChecksum.fits("syt_YWxpY2U_abcdefghijklmnopqrst_1TMI8J"));
        assertFalse(SynapseTokenChecksum.fits("syr_YWxpY2U_abcdefghijklmnopqrst_1TMI8I"));
        assertFalse(SynapseTokenChecksum.fits("syt_YWxpY2U_abcdefghij_klmnopqrst_1TMI8I"));
        assertFalse(SynapseTokenChecksum.fits("syt_YWxpY2Uabcdefghijklmnopqrst_1TMI8I"));
        assertFalse(SynapseTokenChecksum.fits("syt_YWxpY2U_abcdefghijklmnopqrst_"));
        assertFalse(SynapseTokenChecksum.fits("syt_"));
    }
}
