package org.matrixauth.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.matrixauth.json.Mappers;
import org.postgresql.PGNotification;

/**
 * What the project's triggers publish (CACHE-3), turned into evictions: one per row named, each
 * through the caches' indexes. A large batch (a bulk delete, thousands of rows at once) is one
 * {@link AuthCaches#invalidateAll()} instead: cheaper, and done before the listener's next proof
 * of life is due.
 */
final class ChangeEvictions {
    static final int LARGE_BATCH = 1_000;
    private static final ObjectMapper JSON = Mappers.json();

    private final AuthCaches caches;

    ChangeEvictions(AuthCaches caches) {
        this.caches = caches;
    }

    void apply(PGNotification[] batch) {
        if (batch == null) {
            return;
        }
        if (batch.length > LARGE_BATCH) {
            caches.invalidateAll();
            return;
        }
        for (PGNotification notification : batch) {
            evict(notification.getParameter());
        }
    }

    /** Payloads name what changed by id (never by token); one that cannot be read evicts everything. */
    void evict(String payload) {
        try {
            JsonNode change = JSON.readTree(payload);
            switch (change.path("table").asText()) {
                case "access_tokens" -> caches.invalidateToken(change.path("id").asLong());
                case "users", "account_validity" -> caches.invalidateUser(change.path("user_id").asText());
                case "devices" -> caches.invalidateDevice(change.path("user_id").asText(), change.path("device_id").asText());
                default -> caches.invalidateAll();
            }
        } catch (IOException e) {
            caches.invalidateAll();
        }
    }
}
