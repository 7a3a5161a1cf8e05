package org.matrixauth.auth;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.matrixauth.health.DatabaseAvailability;
import org.matrixauth.store.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TOK-6 off the request: a token's first use queues its mark, and {@link #flush()} (every few
 * seconds, from the background) writes the queued marks in one statement. Nothing but refresh-token
 * rotation reads {@code access_tokens.used} (RFT-4), so a token issued by a refresh is marked at
 * once, on the request, where a refresh on any node sees it; where the database cannot be reached
 * then, its mark is queued too and the request goes on (OBS-5). Until a mark is written, the
 * token's later requests find it queued and queue nothing more; once written, the cache knows it,
 * so they do not come here at all. A failed flush keeps its marks for the next one.
 */
public final class TokenUseMarks {
    private static final Logger LOG = LoggerFactory.getLogger(TokenUseMarks.class);

    private final TokenStore tokens;
    private final int queueLimit;
    /** Token to its row id, waiting to be written. */
    private final Map<String, Long> waiting = new ConcurrentHashMap<>();

    /** @param queueLimit marks held; beyond it a token is marked by a later request */
    public TokenUseMarks(TokenStore tokens, int queueLimit) {
        this.tokens = tokens;
        this.queueLimit = queueLimit;
    }

    void markUsed(String token, long tokenId, boolean fromRefresh) {
        if (fromRefresh) {
            try {
                tokens.markUsed(Map.of(token, tokenId));
                return;
            } catch (RuntimeException e) {
                if (!DatabaseAvailability.isConnectivityFailure(e)) {
                    throw e;
                }
            }
        }
        if (waiting.size() < queueLimit) {
            waiting.putIfAbsent(token, tokenId);
        }
    }

    /** Writes the queued marks; they stay queued when the database fails. */
    public void flush() {
        if (waiting.isEmpty()) {
            return;
        }
        Map<String, Long> marks = new HashMap<>(waiting);
        try {
            tokens.markUsed(marks);
        } catch (RuntimeException e) {
            LOG.warn("Marking {} token(s) used failed ({}); kept for the next flush", marks.size(), e.getClass().getName());
            return;
        }
        marks.forEach(waiting::remove);
    }
}
