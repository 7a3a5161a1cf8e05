package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.store.jdbi.SynapseDatabase;

/**
 * A Matrix web client in a real browser: matrix-js-sdk (the SDK Element Web is built on), bundled by
 * the build ({@code src/test/browser}, npm and esbuild), on a page served from another origin, in
 * headless Chromium, against the example jar as a process. Every request it makes is a CORS request
 * and every one with a token or a JSON body is preflighted, so each step passes only if the example
 * answers as Synapse does (WEB-1, WEB-2): a refusal the page cannot read is "Failed to fetch".
 */
class BrowserClientIT {
    static final Path PAGE = Path.of(System.getProperty("browser.page", "target/browser"));
    static final String SECRET = "shared-secret-for-the-browser-test";
    static final String PASSWORD = "alice-password";
    static final String EXPIRED_TOKEN = "syt_expired_token";
    /** Short, so that the client's first access token expires while the page waits. */
    static final long REFRESHABLE_LIFETIME_MS = 2_000;

    @TempDir
    Path dir;

    @Test
    @DisplayName("WEB-1, WEB-2, RFT-1..4, RFT-6, RFT-7: matrix-js-sdk in Chromium on another origin logs in, acts, renews"
            + " its expired access token with its refresh token, is logged out and reads every refusal")
    void web1Web2MatrixJsSdkInChromiumFromAnotherOrigin() throws Exception {
        assertTrue(Files.isRegularFile(PAGE.resolve("client.js")), "the page is bundled before this test: " + PAGE);
        String database = "jdbc:h2:file:" + dir.resolve("homeserver");
        seedExpiredToken(database);
        Path config = Files.writeString(dir.resolve("homeserver.yaml"), """
                server_name: localhost
                database: "%s"
                registration_shared_secret: %s
                macaroon_secret_key: macaroon-key-for-the-browser-test
                allow_guest_access: true
                bcrypt_rounds: 4
                refreshable_access_token_lifetime: %d
                """.formatted(database, SECRET, REFRESHABLE_LIFETIME_MS));
        try (ExampleProcess example = ExampleProcess.start(dir, "--config", config.toString());
             PageOrigin page = PageOrigin.serve(PAGE);
             HeadlessChromium browser = HeadlessChromium.start(dir.resolve("chromium-profile"))) {
            String homeserver = "http://127.0.0.1:" + example.port();
            assertEquals(200, new MatrixClient(homeserver).registerWithSharedSecret(SECRET, "alice", PASSWORD, false).status());

            long started = System.nanoTime();
            Object steps = browser.call(page.url("index.html"), "runSteps", homeserver,
                    Map.of("user", "alice", "password", PASSWORD, "expiredToken", EXPIRED_TOKEN));
            System.out.printf("matrix-js-sdk in Chromium, %d ms: %s%n", (System.nanoTime() - started) / 1_000_000, steps);
            judge(steps);
        }
    }

    /** {@code @sleepy:localhost}, whose only token expired long ago (TOK-3). */
    private static void seedExpiredToken(String jdbcUrl) throws Exception {
        try (SynapseDatabase database = SynapseDatabase.open(jdbcUrl, 1)) {
            database.jdbi().useHandle(h -> {
                h.execute("INSERT INTO users (name, creation_ts, admin, is_guest, deactivated) VALUES ('@sleepy:localhost', 1600000000, 0, 0, 0)");
                h.execute("INSERT INTO access_tokens (id, user_id, device_id, token, valid_until_ms) "
                        + "VALUES (1, '@sleepy:localhost', 'SLEEPYDEV', ?, 1)", EXPIRED_TOKEN);
            });
        }
    }

    @SuppressWarnings("unchecked")
    private static void judge(Object observed) {
        assertTrue(observed instanceof Map, "the page did not run: " + observed);
        Map<String, Map<String, Object>> steps = (Map<String, Map<String, Object>>) observed;
        assertAll(
                () -> assertTrue(value(steps, "versions", List.class).contains("v1.11"), "versions"),
                () -> assertTrue(value(steps, "loginFlows", List.class).contains("m.login.password"), "login flows"),
                () -> assertEquals("@alice:localhost", value(steps, "login", Map.class).get("user_id"), "password login"),
                () -> assertEquals("@alice:localhost", value(steps, "whoami", Map.class).get("user_id"), "whoami"),
                () -> value(steps, "logout", Map.class),
                () -> assertRefused(steps, "loggedOutToken", false),
                () -> assertRefused(steps, "unknownToken", false),
                () -> assertRefused(steps, "expiredToken", true),
                () -> assertEquals(Map.of("expires_in_ms", REFRESHABLE_LIFETIME_MS, "refresh_token", true),
                        value(steps, "refreshableLogin", Map.class), "RFT-1: login with a refresh token"),
                () -> assertEquals("@alice:localhost", value(steps, "beforeExpiry", Map.class).get("user_id"), "before expiry"),
                () -> assertRefused(steps, "afterExpiry", "M_UNKNOWN_TOKEN", 401, true),
                () -> assertEquals(Map.of("expires_in_ms", REFRESHABLE_LIFETIME_MS, "refresh_token", true),
                        value(steps, "renewal", Map.class), "RFT-2: renewed with the expired token in the header"),
                () -> assertEquals("@alice:localhost", value(steps, "afterRenewal", Map.class).get("user_id"), "renewed"),
                () -> assertRefused(steps, "spentRefreshToken", "M_FORBIDDEN", 403, null),
                () -> value(steps, "renewedLogout", Map.class),
                () -> assertRefused(steps, "refreshAfterLogout", "M_UNKNOWN_TOKEN", 401, null),
                () -> assertTrue(((String) value(steps, "guestRegistration", Map.class).get("user_id")).endsWith(":localhost"),
                        "guest registration"),
                () -> assertEquals(true, value(steps, "guestWhoami", Map.class).get("is_guest"), "the guest's whoami"));
    }

    /** The step succeeded, with a value of this type. */
    private static <T> T value(Map<String, Map<String, Object>> steps, String step, Class<T> type) {
        Map<String, Object> outcome = steps.get(step);
        assertTrue(outcome != null && type.isInstance(outcome.get("value")), step + ": " + outcome);
        return type.cast(outcome.get("value"));
    }

    /** The step was refused with Matrix JSON the page could read: 401 M_UNKNOWN_TOKEN and its soft_logout. */
    private static void assertRefused(Map<String, Map<String, Object>> steps, String step, boolean softLogout) {
        assertRefused(steps, step, "M_UNKNOWN_TOKEN", 401, softLogout);
    }

    /** The step was refused with Matrix JSON the page could read; {@code softLogout} null where the body has none. */
    private static void assertRefused(Map<String, Map<String, Object>> steps, String step, String errcode, long status,
                                      Boolean softLogout) {
        Object error = steps.get(step).get("error");
        assertTrue(error instanceof Map, step + " should have been refused: " + steps.get(step));
        Map<?, ?> refusal = (Map<?, ?>) error;
        assertEquals(errcode, refusal.get("errcode"), step + ": " + refusal);
        assertEquals(status, refusal.get("httpStatus"), step + ": " + refusal);
        assertEquals(softLogout, refusal.get("softLogout"), step + ": " + refusal);
    }
}
