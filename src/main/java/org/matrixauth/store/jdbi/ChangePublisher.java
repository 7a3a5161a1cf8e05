package org.matrixauth.store.jdbi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.matrixauth.json.Mappers;

/**
 * Beside Synapse without the triggers (CACHE-5), the library's own changes publish, in their own
 * transaction, what the triggers would have: the other nodes of this library follow Synapse's
 * invalidation stream, which the library does not write to, and learn of its changes this way.
 * Elsewhere the triggers publish, or nobody listens, and this does nothing.
 */
final class ChangePublisher {
    private static final ObjectMapper JSON = Mappers.json();

    private final boolean publishChanges;

    /** @param publishChanges no triggers publish what changes, and other nodes listen */
    ChangePublisher(boolean publishChanges) {
        this.publishChanges = publishChanges;
    }

    /** The payloads are the triggers' ({@code V2__change_notifications.sql}): rows by id, never a token. */
    void publish(Handle h, String table, Map<String, Object> row) {
        if (publishChanges) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("table", table);
            payload.putAll(row);
            h.createQuery("SELECT pg_notify(:channel, :payload)").bind("channel", SynapseDatabase.CHANGE_CHANNEL)
                    .bind("payload", json(payload)).mapTo(String.class).one();
        }
    }

    void publishUser(Handle h, String userId) {
        publish(h, "users", Map.of("user_id", userId));
    }

    void publishToken(Handle h, long tokenId) {
        publish(h, "access_tokens", Map.of("id", tokenId));
    }

    private static String json(Map<String, Object> payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
