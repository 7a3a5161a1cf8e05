package org.matrixauth.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.matrixauth.testing.Registrations;
import org.matrixauth.testing.SynapseRows;
import org.matrixauth.testing.DatabaseExtension;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The users and tokens the tests ask with, written as Synapse writes them, and the IRC bridge's registration. */
final class TestUsers {
    static final String ALICE = "@alice:example.org";

    private TestUsers() {}

    static void seed(SynapseRows rows) {
        rows.user(ALICE).token(ALICE, "alice_token", "ALICEDEV");
        rows.token(ALICE, "expired_token", "ALICEDEV", null, System.currentTimeMillis() - 3_600_000);
        rows.user("@admin:example.org", true, false).token("@admin:example.org", "admin_token", "ADMINDEV");
        rows.user("@guest1:example.org", false, true).token("@guest1:example.org", "guest_token", "GUESTDEV");
        rows.user("@_irc_bob:example.org");
    }

    /**
     * The bridge (token as_irc_token, users @_irc_*), its registration written into the directory once the
     * context asks; given as a YAML list under matrix.auth.config would give it.
     */
    static void appServices(DynamicPropertyRegistry registry, Supplier<Path> dir) {
        registry.add("matrix.auth.config.app_service_config_files[0]", () -> {
            try {
                return Registrations.irc(dir.get()).toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The bridge, and the filter opening a pool of its own on the test's database (the {@code database} key). */
    static void filtersOwnPool(DynamicPropertyRegistry registry, DatabaseExtension db, Supplier<Path> dir) {
        appServices(registry, dir);
        registry.add("matrix.auth.use-application-data-source", () -> "false");
        registry.add("matrix.auth.config.database", db::jdbcUrl);
    }
}
