package org.matrixauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.servlet.MatrixAuthFilter;

/** SPEC section 9: keys the filter does not read are refused where they are its own, else ignored. */
class UnknownKeysTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String IGNORED = "is not one matrix-auth-filter reads and is ignored";

    @TempDir
    Path dir;

    private static String refusal(Map<String, String> initParams) {
        return assertThrows(ConfigException.class, () -> AuthConfig.load(initParams)).getMessage();
    }

    /** What reading the file logs: slf4j-simple writes to System.err as it is at each call. */
    private static String logOfReading(String yaml) throws IOException {
        var tree = YAML.readTree("server_name: example.org\n" + yaml);
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            AuthConfig.fromTree(tree);
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("CFG: an unknown init-param fails start-up, suggesting the key it misspells")
    void misspeltInitParamIsRefusedWithSuggestion() {
        assertEquals("configuration key 'track_pupeted_user_ips' is unknown (did you mean 'track_puppeted_user_ips'?)",
                refusal(Map.of("server_name", "example.org", "track_pupeted_user_ips", "true")));
        assertEquals("configuration key 'config-file' is unknown (did you mean 'config_file'?)",
                refusal(Map.of("server_name", "example.org", "config-file", "/etc/homeserver.yaml")));
    }

    @Test
    @DisplayName("CFG: an unknown servlet-context matrix_auth.<key> stops the filter, named without its prefix")
    void unknownContextParamStopsTheFilter() {
        FilterConfig filter = mock(FilterConfig.class);
        ServletContext context = mock(ServletContext.class);
        when(filter.getServletContext()).thenReturn(context);
        when(filter.getInitParameterNames()).thenReturn(Collections.enumeration(List.of("server_name")));
        when(filter.getInitParameter("server_name")).thenReturn("example.org");
        when(context.getInitParameterNames()).thenReturn(Collections.enumeration(List.of("matrix_auth.max_mau_valeu")));
        when(context.getInitParameter("matrix_auth.max_mau_valeu")).thenReturn("10");
        ServletException e = assertThrows(ServletException.class, () -> new MatrixAuthFilter().init(filter));
        assertEquals("matrix-auth-filter: configuration key 'max_mau_valeu' is unknown (did you mean 'max_mau_value'?)",
                e.getMessage());
    }

    @Test
    @DisplayName("CFG: an unknown init-param far from every key fails start-up without a suggestion")
    void unknownInitParamIsRefused() {
        assertEquals("configuration key 'frobnicate' is unknown",
                refusal(Map.of("server_name", "example.org", "frobnicate", "yes")));
        assertEquals("configuration key 'auth_cache.sizes.tokens' is unknown; configuration key 'frobnicate' is unknown",
                refusal(Map.of("server_name", "example.org", "frobnicate", "yes", "auth_cache.sizes.tokens", "5")),
                "every unknown key at once, in order");
    }

    @Test
    @DisplayName("CFG: a homeserver's own keys are no init-params; in the file they are read through settings()")
    void homeserverKeysBelongInTheFile() throws IOException {
        assertEquals("configuration key 'registration_shared_secret' is unknown",
                refusal(Map.of("server_name", "example.org", "registration_shared_secret", "s3cret")));
        Path file = Files.writeString(dir.resolve("homeserver.yaml"), """
                server_name: example.org
                registration_shared_secret: s3cret
                password_config: {pepper: salt}
                """);
        AuthConfig config = AuthConfig.load(Map.of(AuthConfig.CONFIG_FILE_KEY, file.toString(), "routes", "/ public"));
        assertEquals("s3cret", config.settings().string("registration_shared_secret", null));
        assertEquals("salt", config.settings().string("password_config.pepper", null));
    }

    @Test
    @DisplayName("CFG: init-params below a mapping read whole are known, and numbers in text are read")
    void keysBelowWholeMappingsAreKnown() {
        AuthConfig config = AuthConfig.load(Map.of("server_name", "example.org",
                "mau_appservice_trial_days.irc", "7",
                "database.name", "psycopg2",
                "database.args.user", "synapse",
                "database.args.sslmode", "require",
                "auth_cache.max_tokens", "50"));
        assertEquals(Map.of("irc", 7), config.mau().appserviceTrialDays());
        assertEquals("jdbc:postgresql://localhost:5432/synapse?sslmode=require", config.database().jdbcUrl());
        assertEquals(50, config.caches().maxTokens());
    }

    @Test
    @DisplayName("CFG: an unknown key in the filter's own auth_cache section fails start-up, with a suggestion")
    void unknownAuthCacheKeyIsRefused() throws IOException {
        assertEquals("configuration key 'auth_cache.max_token' is unknown (did you mean 'auth_cache.max_tokens'?)",
                assertThrows(ConfigException.class, () -> AuthConfig.fromTree(YAML.readTree("""
                        server_name: example.org
                        auth_cache: {max_token: 5000}
                        """))).getMessage());
        assertEquals("configuration key 'auth_cache.colour' is unknown",
                refusal(Map.of("server_name", "example.org", "auth_cache.colour", "blue")),
                "an init-param in the section is named once");
    }

    @Test
    @DisplayName("CFG: a top-level file key near one the filter reads logs one warning naming both")
    void nearMissTopLevelKeyWarns() throws IOException {
        String log = logOfReading("track_pupeted_user_ips: true\n");
        List<String> warnings = log.lines().filter(line -> line.contains(IGNORED)).toList();
        assertEquals(1, warnings.size(), log);
        assertEquals("WARN org.matrixauth.config.UnknownKeys - configuration key 'track_pupeted_user_ips' " + IGNORED
                + ": did you mean 'track_puppeted_user_ips'?", warnings.get(0).replaceFirst("^\\[[^]]*\\] ", ""));
    }

    @Test
    @DisplayName("CFG: top-level file keys far from every key the filter reads (Synapse's own) are silent")
    void farOffTopLevelKeysAreSilent() throws IOException {
        String log = logOfReading("""
                enable_registration: false
                registration_shared_secret: s3cret
                listeners: [{port: 8008, type: http}]
                auth_cache: {max_users: 10}
                """);
        assertFalse(log.contains(IGNORED), log);
    }
}
