package org.matrixauth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.matrixauth.account.UserRecord;
import org.matrixauth.cache.AuthCaches;
import org.matrixauth.cache.CachingUserStore;
import org.matrixauth.config.CacheConfig;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.StatementLog;

/** The JDBI DAOs on H2 over the tables the migrations create in Synapse's shape. */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DatabaseKind.class, names = {"H2", "POSTGRESQL"})
class JdbiStoresTest {
    @Parameter
    DatabaseKind kind;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> kind);
    private List<String> statements;

    @BeforeEach
    void seed() {
        db.rows().user("@alice:test").user("@admin:test", true, false).user("@guest:test", false, true);
        statements = StatementLog.attach(db.jdbi());
    }

    @Test
    void tok1OneQueryResolvesAUserToken() {
        long id = db.rows().token("@alice:test", "alice_token", "DEV");
        statements.clear();
        TokenLookup lookup = db.database().tokens().findByToken("alice_token").orElseThrow();
        assertEquals(1, statements.size(), "TOK-1: one query per lookup");
        assertEquals(new TokenLookup("@alice:test", "@alice:test", id, "DEV", null, false, false, false, false, false, false), lookup);
    }

    /**
     * An instrumenting agent (an APM's, a coverage tool's, Jazzer's) that retransforms the records after
     * they were loaded strips, on JDK 17, their constructor's parameter names (JDK-8240908:
     * bench/results/jdbi-constructor-mapper-failure.md); a mapper that matched columns to those names
     * would then map nothing. The stores read columns by name into the constructor's positions.
     */
    @Test
    void tok1LookupsStillMapOnceAnAgentRetransformedTheRecords() throws Exception {
        long id = db.rows().token("@alice:test", "alice_token", "DEV");
        // Loaded before the transformer is in place: it must only ever see their retransformation.
        Set<Class<?>> records = Set.of(TokenLookup.class, UserRecord.class);
        Instrumentation instrumentation = ByteBuddyAgent.install();
        ClassFileTransformer unchanged = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                    ProtectionDomain domain, byte[] bytes) {
                return redefined != null && records.contains(redefined) ? bytes.clone() : null;
            }
        };
        instrumentation.addTransformer(unchanged, true);
        try {
            instrumentation.retransformClasses(records.toArray(Class<?>[]::new));
        } finally {
            instrumentation.removeTransformer(unchanged);
        }
        assertEquals(new TokenLookup("@alice:test", "@alice:test", id, "DEV", null, false, false, false, false, false, false),
                db.database().tokens().findByToken("alice_token").orElseThrow());
        assertEquals("@admin:test", db.database().users().findUser("@admin:test").orElseThrow().userId());
        assertTrue(db.database().users().findUser("@admin:test").orElseThrow().admin());
    }

    @Test
    void tok1TheQueryUsesTheUniqueTokenIndex() {
        String plan = db.jdbi().withHandle(h -> {
            if (db.isPostgres()) {
                h.execute("SET enable_seqscan = off"); // tiny tables: ask which index the planner would take
            }
            return String.join("\n", h.createQuery("EXPLAIN SELECT u.name FROM access_tokens t"
                            + " JOIN users u ON u.name = COALESCE(t.puppets_user_id, t.user_id) WHERE t.token = 'x'")
                    .mapTo(String.class).list());
        }).toLowerCase(java.util.Locale.ROOT);
        assertTrue(plan.contains("access_tokens_token_key"), plan);
        assertTrue(plan.contains("users_name_key"), plan);
    }

    @Test
    void tok1UnknownTokenIsEmpty() {
        assertEquals(Optional.empty(), db.database().tokens().findByToken("nope"));
    }

    @Test
    void tok4PuppetTokenJoinsThePuppetedUser() {
        db.rows().lockUser("@alice:test");
        long id = db.rows().token("@admin:test", "puppet_token", "PDEV", "@alice:test", 12345L);
        TokenLookup lookup = db.database().tokens().findByToken("puppet_token").orElseThrow();
        assertEquals("@alice:test", lookup.userId());
        assertEquals("@admin:test", lookup.tokenOwner());
        assertEquals(id, lookup.tokenId());
        assertEquals(12345L, lookup.validUntilMs());
        assertTrue(lookup.isPuppet());
        assertTrue(lookup.locked(), "the puppeted user's flags, not the admin's");
    }

    @Test
    void tok5GuestAndShadowBanFlagsAreRead() {
        db.rows().shadowBan("@guest:test").token("@guest:test", "guest_token", null);
        TokenLookup lookup = db.database().tokens().findByToken("guest_token").orElseThrow();
        assertTrue(lookup.isGuest());
        assertTrue(lookup.shadowBanned());
        assertNull(lookup.deviceId());
    }

    @Test
    @DisplayName("TOK-6: marking a token used writes access_tokens.used")
    void tok6MarkUsed() {
        long id = db.rows().token("@alice:test", "alice_token", "DEV");
        assertFalse(db.database().tokens().findByToken("alice_token").orElseThrow().used());
        db.database().tokens().markUsed(Map.of("alice_token", id));
        assertTrue(db.database().tokens().findByToken("alice_token").orElseThrow().used());
    }

    @Test
    void tok1TokenOfAMissingUserIsNotFound() {
        db.rows().token("@ghost:test", "ghost_token", "DEV");
        assertEquals(Optional.empty(), db.database().tokens().findByToken("ghost_token"));
    }

    @Test
    void usersAreReadWithSynapseSmallintFlags() {
        UserRecord admin = db.database().users().findUser("@admin:test").orElseThrow();
        assertTrue(admin.admin());
        assertFalse(admin.isGuest());
        assertTrue(db.database().users().isServerAdmin("@admin:test"));
        assertFalse(db.database().users().isServerAdmin("@alice:test"));
        assertFalse(db.database().users().isServerAdmin("@nobody:test"));
        assertTrue(db.database().users().findUser("@guest:test").orElseThrow().isGuest());
        assertEquals(Optional.empty(), db.database().users().findUser("@nobody:test"));
    }

    @Test
    void tok9AccountValidity() {
        db.rows().accountValidity("@alice:test", 1000);
        assertEquals(java.util.OptionalLong.of(1000), db.database().users().accountExpiresAt("@alice:test"));
        assertEquals(java.util.OptionalLong.empty(), db.database().users().accountExpiresAt("@admin:test"), "no row: never expires");
    }

    @Test
    void as5DeviceExists() {
        db.rows().device("@alice:test", "DEV");
        assertTrue(db.database().devices().deviceExists("@alice:test", "DEV"));
        assertFalse(db.database().devices().deviceExists("@alice:test", "OTHER"));
        assertFalse(db.database().devices().deviceExists("@admin:test", "DEV"));
    }

    @Test
    @DisplayName("DB: the migrations give a homeserver Synapse's profiles table, one row per localpart")
    void profilesTableAsSynapsesWithTheWholeUserId() {
        db.execute("INSERT INTO profiles (user_id, displayname, full_user_id) VALUES ('alice', 'Alice', '@alice:test')");
        assertEquals("Alice", db.jdbi().withHandle(h -> h.createQuery(
                "SELECT displayname FROM profiles WHERE full_user_id = '@alice:test'").mapTo(String.class).one()));
        assertThrows(AssertionError.class, () -> db.execute(
                "INSERT INTO profiles (user_id, full_user_id) VALUES ('alice', '@alice:test')"), "user_id is unique");
    }

    @Test
    @DisplayName("DB CACHE-1: a user id holding a NUL names nobody, and the database is not asked (PostgreSQL cannot)")
    void aUserIdWithANulNamesNobody() {
        CachingUserStore users = new CachingUserStore(db.database().users(), new AuthCaches(CacheConfig.DEFAULT, Clock.systemUTC()));
        assertEquals(Optional.empty(), users.findUser("@ali\0ce:test"));
        assertFalse(users.isServerAdmin("@adm\0in:test"));
        assertEquals(List.of(), statements);
        assertTrue(users.findUser("@alice:test").isPresent());
    }
}
