package org.matrixauth.auth;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.matrixauth.health.DatabaseAvailability;
import org.matrixauth.store.TokenStore;

/**
 * TOK-6 without making a valid token's request depend on the write: a token's first use marks it
 * used at once where the database answers; where it cannot be reached, the request goes on and
 * the mark waits for {@link #retry()} (from the background), so the first use of a cached token
 * is served through an outage (OBS-5) and the mark, which refresh-token rotation reads (RFT-4),
 * is written once the database is back. A failure of another kind is the server's: it fails the
 * request, as any other would.
 */
public final class TokenUseMarks {
    private final TokenStore tokens;
    private final int queueLimit;
    /** Token to its id, waiting to be written. */
    private final Map<String, Long> waiting = new ConcurrentHashMap<>();

    /** @param queueLimit marks held for a retry; beyond it a token is marked on its next request */
    public TokenUseMarks(TokenStore tokens, int queueLimit) {
        this.tokens = tokens;
        this.queueLimit = queueLimit;
    }

    void markUsed(String token, long tokenId) {
        try {
            tokens.markUsed(token, tokenId);
        } catch (RuntimeException e) {
            if (!DatabaseAvailability.isConnectivityFailure(e)) {
                throw e;
            }
            if (waiting.size() < queueLimit) {
                waiting.put(token, tokenId);
            }
        }
    }

    /** Writes the waiting marks, until the database fails again. */
    public void retry() {
        for (Map.Entry<String, Long> mark : List.copyOf(waiting.entrySet())) {
            try {
                tokens.markUsed(mark.getKey(), mark.getValue());
            } catch (RuntimeException e) {
                return;
            }
            waiting.remove(mark.getKey());
        }
    }
}
