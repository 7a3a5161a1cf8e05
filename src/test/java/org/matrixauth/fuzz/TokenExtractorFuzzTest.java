package org.matrixauth.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import org.matrixauth.error.MatrixException;
import org.matrixauth.token.AccessTokenExtractor;

/** The token extractor on any headers and query values: a well-formed token or a 401, nothing else. */
class TokenExtractorFuzzTest {
    private final AccessTokenExtractor extractor = new AccessTokenExtractor(true);

    @FuzzTest(maxDuration = "60s")
    void extractOrRefuse(FuzzedDataProvider data) {
        List<String> headers = new ArrayList<>();
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
            headers.add(data.consumeString(200));
        }
        List<String> query = null;
        if (data.consumeBoolean()) {
            query = new ArrayList<>();
            for (int i = data.consumeInt(0, 3); i > 0; i--) {
                query.add(data.consumeString(200));
            }
        }
        try {
            String token = extractor.extract(headers, query);
            assertTrue(!token.isEmpty() && token.length() <= AccessTokenExtractor.MAX_TOKEN_BYTES);
            assertTrue(token.chars().allMatch(c -> c > 0x20 && c < 0x7f), token);
        } catch (MatrixException e) {
            assertEquals(401, e.status());
        }
    }
}
