package org.matrixauth.token;

import java.util.List;
import org.matrixauth.error.MatrixException;

/**
 * Takes the access token out of a request's {@code Authorization} headers and
 * {@code access_token} query parameters, exactly as Synapse does (SPEC EXT-1..7). Pure: no I/O.
 */
public final class AccessTokenExtractor {
    /** EXT-6: longer tokens are refused before any lookup. */
    public static final int MAX_TOKEN_BYTES = 4096;
    private static final String BEARER_PREFIX = "Bearer ";

    private final boolean allowQueryParameter;

    /** @param allowQueryParameter EXT-7: {@code allow_access_token_query} */
    public AccessTokenExtractor(boolean allowQueryParameter) {
        this.allowQueryParameter = allowQueryParameter;
    }

    /**
     * REQ-4: whether the request carries a token at all (Synapse's {@code has_access_token}).
     *
     * @param authorizationHeaders every {@code Authorization} header value, never null
     * @param queryTokens every {@code access_token} query value, or null when the parameter is absent
     */
    public boolean hasAccessToken(List<String> authorizationHeaders, List<String> queryTokens) {
        return !authorizationHeaders.isEmpty() || queryParameter(queryTokens) != null;
    }

    /**
     * @param authorizationHeaders every {@code Authorization} header value, never null
     * @param queryTokens every {@code access_token} query value, or null when the parameter is absent
     * @return a token that is well-formed (EXT-6); whether it is known is for the caller to find out
     */
    public String extract(List<String> authorizationHeaders, List<String> queryTokens) {
        List<String> query = queryParameter(queryTokens);
        String token;
        if (!authorizationHeaders.isEmpty()) {
            if (query != null) {
                throw MatrixException.missingToken("Mixing Authorization headers and access_token query parameters.");
            }
            if (authorizationHeaders.size() > 1) {
                throw MatrixException.missingToken("Too many Authorization headers.");
            }
            token = bearerToken(authorizationHeaders.get(0));
        } else {
            if (query == null || query.isEmpty()) {
                throw MatrixException.missingToken("Missing access token");
            }
            token = query.get(0); // EXT-5: the first of several
        }
        requireWellFormed(token);
        return token;
    }

    /** EXT-7: with the query parameter turned off it is as if it were not there. */
    private List<String> queryParameter(List<String> queryTokens) {
        return allowQueryParameter ? queryTokens : null;
    }

    /**
     * EXT-4: Synapse splits on single spaces and wants exactly {@code Bearer} and one token: the
     * header is {@code "Bearer "} followed by text without a space (read in place: it runs on
     * every request).
     */
    private static String bearerToken(String header) {
        if (!header.startsWith(BEARER_PREFIX) || header.indexOf(' ', BEARER_PREFIX.length()) >= 0) {
            throw MatrixException.missingToken("Invalid Authorization header.");
        }
        return header.substring(BEARER_PREFIX.length());
    }

    /** EXT-6: decided here so that garbage never reaches the database (and never answers 500). */
    private static void requireWellFormed(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_BYTES) {
            throw MatrixException.unrecognisedToken();
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw MatrixException.unrecognisedToken();
            }
        }
    }
}
