package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The example mints Synapse's access tokens, so that the filter's FLOOD-1 tells its fresh logins from guesses. */
class AccessTokenFormatTest {
    @Test
    @DisplayName("FLOOD-1 the crc is Synapse's: base62_encode(crc32(base), minwidth=6), as computed by Python's zlib")
    void checksumIsSynapses() {
        // zlib.crc32(b"syt_YWxpY2U_abcdefghijklmnopqrst") == 1349959498, Synapse's base62 of it "1TMI8I".
        assertEquals("1TMI8I", TokenIssuer.checksum("syt_YWxpY2U_abcdefghijklmnopqrst"));
    }

    @Test
    @DisplayName("FLOOD-1 a new token: syt_, the localpart, 20 random characters, and the crc of the rest")
    void newTokenHasSynapsesShape() {
        String token = TokenIssuer.newAccessToken("@alice:example.org");
        String[] parts = token.split("_");
        assertEquals(4, parts.length, token);
        assertEquals("syt", parts[0]);
        assertEquals(20, parts[2].length());
        assertTrue(token.endsWith("_" + TokenIssuer.checksum(token.substring(0, token.lastIndexOf('_')))), token);
    }
}
