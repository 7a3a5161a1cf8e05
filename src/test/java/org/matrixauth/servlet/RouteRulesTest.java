package org.matrixauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.matrixauth.auth.AuthOptions;
import org.matrixauth.config.ConfigException;

/** REQ-2 and REQ-4: the per-path rules a deployer writes in web.xml. */
class RouteRulesTest {
    private final RouteRules rules = RouteRules.parse("""
            # comments and blank lines are fine

            /_matrix/client/versions          public
            /_matrix/client/*/account/whoami  guest   # trailing comment
            /_matrix/client/*/logout/**       expired locked
            /_matrix/client/*/register        optional guest
            /_synapse/admin/**                admin
            /_matrix/media/**                 public
            /_matrix/client/*/sync            blocking
            /_matrix/client/*/createRoom      guest blocking
            /_synapse/mas/**                  mas
            """);

    @ParameterizedTest(name = "REQ-2 OAU-10 {0} -> {1} guest={2} expired={3} locked={4} admin={5} blocking={6}")
    @CsvSource({
        "/_matrix/client/versions, PUBLIC, false, false, false, false, false",
        "/_matrix/client/versions/x, REQUIRED, false, false, false, false, false",
        "/_matrix/client/v3/account/whoami, REQUIRED, true, false, false, false, false",
        "/_matrix/client/r0/account/whoami, REQUIRED, true, false, false, false, false",
        "/_matrix/client/v3/x/account/whoami, REQUIRED, false, false, false, false, false",
        "/_matrix/client/v3/logout/all, REQUIRED, false, true, true, false, false",
        "/_matrix/client/v3/logout, REQUIRED, false, false, false, false, false",
        "/_matrix/client/v3/register, OPTIONAL, true, false, false, false, false",
        "/_synapse/admin/v1/users/@a:b, REQUIRED, false, false, false, true, false",
        "/_synapse/admin/, REQUIRED, false, false, false, true, false",
        "/_synapse/administrator, REQUIRED, false, false, false, false, false",
        "/_matrix/media/v3/download/x/y, PUBLIC, false, false, false, false, false",
        "/_synapse/mas/query_user, AUTHORIZATION_SERVER, false, false, false, false, false",
        "/anything/else, REQUIRED, false, false, false, false, false",
        "/_matrix/client/v3/sync, REQUIRED, false, false, false, false, true",
        "/_matrix/client/r0/createRoom, REQUIRED, true, false, false, false, true",
    })
    void req2FirstMatchingRuleWins(String path, RouteRule.Access access, boolean guest, boolean expired, boolean locked,
                                   boolean admin, boolean blocking) {
        assertEquals(new RouteRule(access, new AuthOptions(guest, expired, locked, admin, blocking)), rules.match(path));
    }

    @Test
    void req2NoRulesMeansEverythingIsProtected() {
        assertEquals(RouteRule.PROTECTED, RouteRules.parse(null).match("/_matrix/client/versions"));
        assertEquals(RouteRule.PROTECTED, RouteRules.parse("").match("/"));
    }

    @Test
    void req2PatternCharactersAreLiteral() {
        RouteRules dotted = RouteRules.parse("/a.b/(x) public");
        assertEquals(RouteRule.Access.PUBLIC, dotted.match("/a.b/(x)").access());
        assertEquals(RouteRule.Access.REQUIRED, dotted.match("/aXb/(x)").access());
    }

    @ParameterizedTest(name = "REQ-2 refused: {0}")
    @CsvSource(delimiter = '|', value = {
        "/x publik | line 1: unknown flag 'publik'",
        "x public | line 1: the path pattern 'x' must start with '/'",
        "/x public admin | line 1: 'public' cannot be combined with other flags",
        "/x mas guest | line 1: 'mas' cannot be combined with other flags",
    })
    void req2BadLinesAreNamed(String text, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> RouteRules.parse(text));
        assertEquals(true, e.getMessage().startsWith("init-param 'routes' " + expected), e.getMessage());
    }
}
