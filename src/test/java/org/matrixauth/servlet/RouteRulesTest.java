package org.matrixauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
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
        assertEquals(new RouteRule(access, new AuthOptions(guest, expired, locked, admin, blocking)), rules.match("GET", path));
    }

    @Test
    @DisplayName("REQ-2 OAU-1: 'undelegated' marks a route that exists only without delegation, public or not")
    void req2UndelegatedRoutes() {
        RouteRules own = RouteRules.parse("""
                GET,POST /_matrix/client/{r0,v3}/login   public undelegated
                POST     /_matrix/client/{r0,v3}/logout  guest expired locked undelegated
                GET      /_matrix/client/versions        public
                """);
        assertEquals(new RouteRule(RouteRule.Access.PUBLIC, AuthOptions.STRICT, true), own.match("POST", "/_matrix/client/v3/login"));
        assertEquals(new RouteRule(RouteRule.Access.REQUIRED,
                AuthOptions.STRICT.allowingGuests().allowingExpired().allowingLocked(), true), own.match("POST", "/_matrix/client/r0/logout"));
        assertEquals(new RouteRule(RouteRule.Access.PUBLIC, AuthOptions.STRICT), own.match("GET", "/_matrix/client/versions"));
    }

    @Test
    void req2NoRulesMeansEverythingIsProtected() {
        assertEquals(RouteRule.PROTECTED, RouteRules.parse(null).match("GET", "/_matrix/client/versions"));
        assertEquals(RouteRule.PROTECTED, RouteRules.parse("").match("POST", "/"));
    }

    @Test
    void req2PatternCharactersAreLiteral() {
        RouteRules dotted = RouteRules.parse("/a.b/(x) public");
        assertEquals(RouteRule.Access.PUBLIC, dotted.match("GET", "/a.b/(x)").access());
        assertEquals(RouteRule.Access.REQUIRED, dotted.match("GET", "/aXb/(x)").access());
    }

    @ParameterizedTest(name = "REQ-2 pattern {0} against {1}: {2}")
    @DisplayName("REQ-2: '*' is any text within one segment, '**' any text, '{a,b}' one of the texts")
    @CsvSource(delimiter = '|', value = {
        "/a/*/c | /a/b/c | true",
        "/a/*/c | /a//c | true",
        "/a/*/c | /a/b/x/c | false",
        "/a/**/c | /a/b/x/c | true",
        "/a/**/c | /a//c | true",
        "/a/** | /a/ | true",
        "/a/** | /a | false",
        "/** | / | true",
        "/media/*.png | /media/cat.png | true",
        "/media/*.png | /media/x/cat.png | false",
        "/media/*.png | /media/cat.png.png | true",
        "/x/*a*b | /x/aab | true",
        "/x/*a*b | /x/abx | false",
        "/x/**/y/**/z | /x/1/y/2/y/3/z | true",
        "/x/**/y/**/z | /x/1/y/2/y/3/q | false",
        "/v/{r0,v3}/s | /v/v3/s | true",
        "/v/{r0,v3}/s | /v/v1/s | false",
        "/v/{r0,v3}/s | /v/r0v3/s | false",
        "/v{,/}x | /vx | true",
        "/v{,/}x | /v/x | true",
        "/v{a,ab}c | /vabc | true",
        "/a/*/c | /a/b/c/ | false",
    })
    void req2GlobSyntax(String pattern, String path, boolean matches) {
        RouteRules one = RouteRules.parse(pattern + " public");
        assertEquals(matches ? RouteRule.Access.PUBLIC : RouteRule.Access.REQUIRED, one.match("GET", path).access());
    }

    /** The pattern matches the decoded path, line breaks included (a regular expression's '.' left them out). */
    @Test
    void req2AnyDepthCoversEveryCharacter() {
        assertEquals(true, rules.match("GET", "/_synapse/admin/v1/\n/users").options().requireAdmin());
        assertEquals(true, rules.match("GET", "/_synapse/admin/v1/\r\n\u2028x").options().requireAdmin());
    }

    @ParameterizedTest(name = "REQ-2 {0} {1} -> {2}")
    @DisplayName("REQ-2: rules naming methods, alternatives and a catch-all public rule last: Synapse's routing")
    @CsvSource({
        "GET, /_matrix/client/v3/login, PUBLIC",
        "POST, /_matrix/client/r0/login, PUBLIC",
        "POST, /_matrix/client/v3/logout, REQUIRED",
        "GET, /_matrix/client/v3/logout, PUBLIC",
        "GET, /_matrix/client/v1/logout, PUBLIC",
        "GET, /_matrix/client/v3/account/whoami, REQUIRED",
        "HEAD, /_matrix/client/v3/account/whoami, REQUIRED",
        "PUT, /_matrix/client/v3/account/whoami, PUBLIC",
        "GET, /_matrix/client/v1/auth_metadata, PUBLIC",
        "DELETE, /_synapse/admin/v2/users/@a:test, PUBLIC",
        "PUT, /_synapse/admin/v2/users/@a:test, REQUIRED",
    })
    void req2MethodsAndAlternativesRouteLikeSynapse(String method, String path, RouteRule.Access access) {
        RouteRules synapseLike = RouteRules.parse("""
                GET,POST  /_matrix/client/{r0,v3}/login           public
                POST      /_matrix/client/{r0,v3}/logout
                GET       /_matrix/client/{r0,v3}/account/whoami  guest
                GET,PUT   /_synapse/admin/v2/users/*              admin
                /**                                               public
                """);
        assertEquals(access, synapseLike.match(method, path).access());
    }

    @Test
    void req2WithoutACatchAllAnUnlistedMethodStillNeedsAToken() {
        RouteRules listed = RouteRules.parse("GET /_matrix/client/versions public");
        assertEquals(RouteRule.Access.PUBLIC, listed.match("HEAD", "/_matrix/client/versions").access());
        assertEquals(RouteRule.PROTECTED, listed.match("POST", "/_matrix/client/versions"));
        assertEquals(RouteRule.Access.PUBLIC, RouteRules.parse("GET,GET /x public").match("GET", "/x").access(),
                "a method named twice is fine");
    }

    @ParameterizedTest(name = "REQ-2 refused: {0}")
    @CsvSource(delimiter = '|', value = {
        "/x publik | line 1: unknown flag 'publik'",
        "x public | line 1: the path pattern 'x' must start with '/'",
        "/x public admin | line 1: 'public' cannot be combined with other flags",
        "/x mas guest | line 1: 'mas' cannot be combined with other flags",
        "/x mas undelegated | line 1: 'mas' routes exist only while authentication is delegated",
        "/x public undelegated admin | line 1: 'public' cannot be combined with other flags",
        "GET /x public admin | line 1: 'public' cannot be combined with other flags",
        "GET,POST | line 1: a path pattern must follow the methods 'GET,POST'",
        "get /x public | line 1: the path pattern 'get' must start with '/'",
        "/x/{a,b public | line 1: the path pattern '/x/{a,b' opens '{' without closing it",
    })
    void req2BadLinesAreNamed(String text, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> RouteRules.parse(text));
        assertEquals(true, e.getMessage().startsWith("init-param 'routes' " + expected), e.getMessage());
    }
}
