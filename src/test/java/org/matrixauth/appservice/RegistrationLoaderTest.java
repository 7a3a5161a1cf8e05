package org.matrixauth.appservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.matrixauth.config.ConfigException;

/** AS-8: registration files as Synapse reads and validates them. */
class RegistrationLoaderTest {
    static final String VALID = """
            id: irc
            url: http://127.0.0.1:9999
            as_token: as_irc_token
            hs_token: hs_irc_token
            sender_localpart: _irc_bot
            rate_limited: false
            protocols: [irc]
            ip_range_whitelist: ["127.0.0.0/8", "::1/128"]
            namespaces:
              users:
                - exclusive: true
                  regex: '@_irc_(?P<nick>.*):test'
              aliases:
                - exclusive: false
                  regex: '#_irc_.*:test'
              rooms: []
            """;

    @TempDir
    Path dir;

    private final RegistrationLoader loader = new RegistrationLoader("test");

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    @Test
    void as8ReadsEveryField() throws IOException {
        ApplicationService service = loader.load(write("irc.yaml", VALID));
        assertEquals("irc", service.id());
        assertEquals("as_irc_token", service.asToken());
        assertEquals("hs_irc_token", service.hsToken());
        assertEquals("http://127.0.0.1:9999", service.url());
        assertEquals("@_irc_bot:test", service.sender());
        assertFalse(service.rateLimited());
        assertEquals(List.of("irc"), service.protocols());
        assertEquals(1, service.userNamespaces().size());
        assertTrue(service.userNamespaces().get(0).exclusive());
        assertEquals(1, service.aliasNamespaces().size());
        assertEquals(0, service.roomNamespaces().size());
        assertTrue(service.acceptsRequestsFrom("127.0.0.5"));
        assertFalse(service.acceptsRequestsFrom("10.0.0.1"));
    }

    @Test
    void as4NamespaceRegexIsAnchoredAtTheStartOnlyAndTakesPythonNamedGroups() throws IOException {
        ApplicationService service = loader.load(write("irc.yaml", VALID));
        assertTrue(service.isInterestedInUser("@_irc_bob:test"));
        assertTrue(service.isInterestedInUser("@_irc_bob:test.evil")); // re.match: no end anchor
        assertFalse(service.isInterestedInUser("@x_irc_bob:test"));
        assertTrue(service.isInterestedInUser("@_irc_bot:test")); // the sender
    }

    @Test
    void as4ExclusiveUsersAreTheSenderAndThoseWhoseFirstMatchingNamespaceIsExclusive() throws IOException {
        ApplicationService service = loader.load(write("shared.yaml", """
                id: shared
                url: null
                as_token: a
                hs_token: h
                sender_localpart: bot
                namespaces:
                  users:
                    - {exclusive: false, regex: '@shared_.*'}
                    - {exclusive: true, regex: '@.*'}
                """));
        assertTrue(service.isExclusiveUser("@bot:test"), "the sender");
        assertTrue(service.isExclusiveUser("@anyone:test"));
        assertFalse(service.isExclusiveUser("@shared_x:test"), "Synapse asks the first matching namespace only");
        assertTrue(loader.load(write("irc.yaml", VALID)).isExclusiveUser("@_irc_bob:test"));
    }

    @Test
    void as8UrlMayBeExplicitNullAndDefaultsApply() throws IOException {
        ApplicationService service = loader.load(write("minimal.yaml", """
                id: minimal
                url: null
                as_token: a
                hs_token: h
                sender_localpart: bot
                """));
        assertNull(service.url());
        assertTrue(service.rateLimited());
        assertTrue(service.acceptsRequestsFrom("203.0.113.9"));
        assertEquals(List.of(), service.userNamespaces());
    }

    /** Each row: a name, a line of {@link #VALID} and what replaces it, and what the error says. */
    static Stream<Arguments> badRegistrations() {
        return Stream.of(
                Arguments.of("id not a string", "id: irc", "id: [1]", "'id' is required and must be a string"),
                Arguments.of("missing as_token", "as_token: as_irc_token", "", "'as_token' is required"),
                Arguments.of("numeric hs_token", "hs_token: hs_irc_token", "hs_token: 5", "'hs_token' is required and must be a string"),
                Arguments.of("missing sender_localpart", "sender_localpart: _irc_bot", "", "'sender_localpart' is required"),
                Arguments.of("missing url", "url: http://127.0.0.1:9999", "", "'url' is required and must be a string or null"),
                Arguments.of("id with a pipe", "id: irc", "id: ir|c", "'id' must not contain '|'"),
                Arguments.of("invalid regex", "'@_irc_(?P<nick>.*):test'", "'@_irc_(:test'",
                        "'namespaces.users[0].regex' is not a valid regular expression"),
                Arguments.of("exclusive not a boolean", "exclusive: true", "exclusive: yes please",
                        "'namespaces.users[0].exclusive' must be true or false"),
                Arguments.of("namespace not a list", "rooms: []", "rooms: {}", "'namespaces.rooms' must be a list"),
                Arguments.of("namespaces not a mapping", "namespaces:\n", "namespaces: 5\nx:\n", "'namespaces' must be a mapping"),
                Arguments.of("bad ip range", "\"::1/128\"", "nowhere", "'ip_range_whitelist' 'nowhere' is not an IP range"),
                Arguments.of("protocols not a list", "protocols: [irc]", "protocols: irc", "'protocols' must be a list of strings"));
    }

    @ParameterizedTest(name = "AS-8 {0}")
    @MethodSource("badRegistrations")
    void as8BadRegistrationsNameTheFileAndField(String name, String line, String replacement, String expected)
            throws IOException {
        Path file = write("bad.yaml", VALID.replace(line, replacement));
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void as8NotAMapping() throws IOException {
        Path file = write("list.yaml", "- a\n- b\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
        assertTrue(e.getMessage().contains(file + ": not a YAML mapping"), e.getMessage());
    }

    @Test
    void as8DuplicateIdsAcrossFilesAreRefused() throws IOException {
        Path first = write("a.yaml", VALID);
        Path second = write("b.yaml", VALID.replace("as_irc_token", "other_token"));
        ConfigException e = assertThrows(ConfigException.class, () -> loader.loadAll(List.of(first, second)));
        assertEquals("app_service_config_files: duplicate application service id 'irc'", e.getMessage());
    }

    @Test
    void as8DuplicateTokensAcrossFilesAreRefused() throws IOException {
        Path first = write("a.yaml", VALID);
        Path second = write("b.yaml", VALID.replace("id: irc", "id: other"));
        ConfigException e = assertThrows(ConfigException.class, () -> loader.loadAll(List.of(first, second)));
        assertEquals("app_service_config_files: application service 'other' uses the as_token of 'irc'", e.getMessage());
    }

    @Test
    void as8MissingFileIsNamed() {
        Path missing = dir.resolve("nope.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(missing));
        assertTrue(e.getMessage().startsWith("app_service_config_files: cannot read " + missing), e.getMessage());
    }

    @Test
    void as1RegistryFindsByTokenOnly() throws IOException {
        AppServiceRegistry registry = loader.loadAll(List.of(write("irc.yaml", VALID)));
        assertEquals("irc", registry.findByToken("as_irc_token").id());
        assertNull(registry.findByToken("hs_irc_token"));
        assertNull(registry.findByToken("as_irc_toke"));
    }
}
