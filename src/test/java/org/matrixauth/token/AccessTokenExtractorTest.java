package org.matrixauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.matrixauth.error.MatrixException;

class AccessTokenExtractorTest {
    private final AccessTokenExtractor extractor = new AccessTokenExtractor(true);

    private static void assertRefused(String errcode, String error, Runnable extraction) {
        MatrixException e = assertThrows(MatrixException.class, extraction::run);
        assertEquals(401, e.status());
        assertEquals(errcode, e.errcode());
        if (error != null) {
            assertEquals(error, e.error());
        }
    }

    @Test
    void ext1TakesTheBearerHeader() {
        assertEquals("abc", extractor.extract(List.of("Bearer abc"), null));
    }

    @Test
    void ext1TakesTheQueryParameter() {
        assertEquals("abc", extractor.extract(List.of(), List.of("abc")));
    }

    @Test
    void ext2HeaderWithQueryParameterIsRefused() {
        assertRefused("M_MISSING_TOKEN", "Mixing Authorization headers and access_token query parameters.",
                () -> extractor.extract(List.of("Bearer abc"), List.of("abc")));
    }

    @Test
    void ext2HeaderWithEmptyQueryParameterIsRefusedToo() {
        assertRefused("M_MISSING_TOKEN", "Mixing Authorization headers and access_token query parameters.",
                () -> extractor.extract(List.of("Bearer abc"), List.of("")));
    }

    @Test
    void ext3TwoHeadersAreRefused() {
        assertRefused("M_MISSING_TOKEN", "Too many Authorization headers.",
                () -> extractor.extract(List.of("Bearer abc", "Bearer abc"), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bearer abc", "BEARER abc", "Bearer", "Bearer  abc", "Bearer abc def", "Basic abc",
            "abc", "Bearer abc ", "", "Token abc"})
    void ext4MalformedHeadersAreRefused(String header) {
        assertRefused("M_MISSING_TOKEN", "Invalid Authorization header.", () -> extractor.extract(List.of(header), null));
    }

    @Test
    void ext5NoTokenAtAll() {
        assertRefused("M_MISSING_TOKEN", "Missing access token", () -> extractor.extract(List.of(), null));
        assertFalse(extractor.hasAccessToken(List.of(), null));
    }

    @Test
    void ext5FirstOfSeveralQueryParametersIsUsed() {
        assertEquals("first", extractor.extract(List.of(), List.of("first", "second")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tab\there", "nul\u0000", "caf\u00e9", "emoji\ud83d\ude00", "del\u007f", "space here"})
    void ext6MalformedTokensAreUnknownWithoutALookup(String token) {
        assertRefused("M_UNKNOWN_TOKEN", "Unrecognised access token", () -> extractor.extract(List.of(), List.of(token)));
    }

    @Test
    void ext6TokenLengthLimit() {
        String longest = "a".repeat(AccessTokenExtractor.MAX_TOKEN_BYTES);
        assertEquals(longest, extractor.extract(List.of("Bearer " + longest), null));
        assertRefused("M_UNKNOWN_TOKEN", null, () -> extractor.extract(List.of("Bearer " + longest + "a"), null));
    }

    @Test
    void ext6EmptyQueryTokenIsUnknownNotMissing() {
        assertTrue(extractor.hasAccessToken(List.of(), List.of("")));
        assertRefused("M_UNKNOWN_TOKEN", null, () -> extractor.extract(List.of(), List.of("")));
    }

    @Test
    void ext7QueryParameterCanBeTurnedOff() {
        AccessTokenExtractor headerOnly = new AccessTokenExtractor(false);
        assertRefused("M_MISSING_TOKEN", "Missing access token", () -> headerOnly.extract(List.of(), List.of("abc")));
        assertFalse(headerOnly.hasAccessToken(List.of(), List.of("abc")));
        // Off means absent: a header with a stray query parameter is just the header.
        assertEquals("abc", headerOnly.extract(List.of("Bearer abc"), List.of("other")));
    }
}
