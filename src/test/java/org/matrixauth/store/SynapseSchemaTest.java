package org.matrixauth.store;

import org.matrixauth.MatrixAuthInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.matrixauth.MatrixAuth;
import org.matrixauth.auth.AuthOptions;
import org.matrixauth.auth.ClientRequest;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.config.ConfigException;
import org.matrixauth.store.jdbi.SchemaFeatures;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.testing.SynapseRows;
import org.matrixauth.testing.TestDatabase;

/** SPEC section 10 on databases Synapse created: what is checked, and what turns a feature off. */
class SynapseSchemaTest {
    @Test
    void synapse150HasNoUsersLockedButHasAccountValidity() throws Exception {
        try (TestDatabase synapse = TestDatabase.synapse150(); SynapseDatabase database = SynapseDatabase.open(synapse.jdbcUrl(), 2)) {
            assertEquals(new SchemaFeatures(false, true, false, true), database.features());
        }
    }

    @Test
    void aLaterSynapseWithUsersLockedTurnsLockingOn() throws Exception {
        try (TestDatabase synapse = TestDatabase.synapse150()) {
            synapse.execute("ALTER TABLE users ADD COLUMN locked BOOLEAN DEFAULT FALSE NOT NULL");
            try (SynapseDatabase database = SynapseDatabase.open(synapse.jdbcUrl(), 2)) {
                assertEquals(new SchemaFeatures(true, true, false, true), database.features());
                new SynapseRows(database.jdbi()).user("@a:test").lockUser("@a:test").token("@a:test", "tok", "DEV");
                assertTrue(database.tokens().findByToken("tok").orElseThrow().locked());
            }
        }
    }

    @Test
    @DisplayName("CACHE-5 with our triggers on Synapse's database, Synapse's invalidation stream is not followed as well")
    void withTheTriggersTheStreamIsNotFollowedToo() throws Exception {
        try (TestDatabase synapse = TestDatabase.synapse150();
                MatrixAuth auth = MatrixAuth.builder(AuthConfig.load(Map.of("server_name", "test",
                        "database", synapse.jdbcUrl(), "auth_cache.notify_synapse_database", "true"))).start()) {
            assertEquals(new SchemaFeatures(false, true, true, false), MatrixAuthInternals.database(auth).features());
        }
    }

    @Test
    void withoutAccountValidityTheCheckIsOffEvenWhenConfigured() throws Exception {
        try (TestDatabase synapse = TestDatabase.synapse150()) {
            synapse.execute("DROP TABLE account_validity");
            try (MatrixAuth auth = MatrixAuth.builder(AuthConfig.load(Map.of("server_name", "test",
                    "database", synapse.jdbcUrl(), "account_validity.enabled", "true"))).start()) {
                assertEquals(new SchemaFeatures(false, false, false, true), MatrixAuthInternals.database(auth).features());
                new SynapseRows(MatrixAuthInternals.jdbi(auth)).user("@a:test").token("@a:test", "tok", "DEV");
                ClientRequest request = new ClientRequest(List.of("Bearer tok"), Map.of(), "127.0.0.1", null);
                assertEquals("@a:test", auth.authentication().authenticate(request, AuthOptions.STRICT).userId());
            }
        }
    }

    @Test
    void whatIsMissingIsNamedAndNothingIsCreated() {
        try (TestDatabase synapse = TestDatabase.synapse150()) {
            synapse.execute("ALTER TABLE users DROP COLUMN shadow_banned", "DROP TABLE user_ips");
            ConfigException e = assertThrows(ConfigException.class, () -> MatrixAuth.builder(AuthConfig.load(Map.of(
                    "server_name", "test", "database", synapse.jdbcUrl()))).start());
            assertTrue(e.getMessage().startsWith("configuration key 'database': cannot use " + synapse.jdbcUrl()), e.getMessage());
            assertTrue(e.getMessage().endsWith(
                    "the Synapse database lacks what the filter reads: table user_ips, column users.shadow_banned"), e.getMessage());
        }
    }
}
