package org.matrixauth.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.nitram509.jmacaroons.MacaroonsBuilder;
import com.github.nitram509.jmacaroons.MacaroonsSerializer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.MatrixAuth;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.H2Databases;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.SynapseRows;

/**
 * A corpus of hostile requests through the real filter on embedded Jetty: malformed, repeated,
 * empty and long credentials, odd bytes, SQL metacharacters, bad masquerading parameters,
 * appservice tokens from outside their ranges, spoofed forwarding headers and broken macaroons.
 * Every one must get its expected Matrix error (or pass, where it is a valid request in
 * disguise), none a 5xx, every body Matrix JSON, no request a database write, and no secret in
 * the log. Requests the HTTP layer itself refuses (raw control bytes, headers over 8 KiB) never
 * reach a filter and are the container's to answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestCorpusTest {
    static final String KEY = "corpus-macaroon-key";
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    static final String SECRET_TOKEN = "syt_corpus_secret_token_value_42";

    private SynapseDatabase database;
    private FilterServer server;
    private List<String> writes;
    private final List<Case> corpus = new ArrayList<>();

    record Case(String name, String method, String target, List<String> headers, int status, String errcode) {}

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        String url = H2Databases.uniqueUrl();
        database = SynapseDatabase.open(url, 2);
        SynapseRows rows = new SynapseRows(database.jdbi());
        rows.user("@alice:test").token("@alice:test", SECRET_TOKEN, "DEV");
        rows.user("@guest:test", false, true);
        rows.user("@_irc_bob:test").device("@_irc_bob:test", "BOBDEV");
        rows.token("@alice:test", "expired_token", "DEV", null, 1_000L);
        Path irc = Files.writeString(dir.resolve("irc.yaml"), """
                id: irc
                url: null
                as_token: as_local_token
                hs_token: hs_local
                sender_localpart: _irc_bot
                ip_range_whitelist: ["127.0.0.1/32", "::1/128"]
                namespaces:
                  users: [{regex: '@_irc_[a-z]+:test$', exclusive: true}]
                """);
        Path remote = Files.writeString(dir.resolve("remote.yaml"), """
                id: remote
                url: null
                as_token: as_remote_token
                hs_token: hs_remote
                sender_localpart: remote_bot
                ip_range_whitelist: ["10.0.0.0/8", "fd00::/8"]
                """);
        server = new FilterServer().context("/", Map.of(
                "server_name", "test",
                "database", url,
                "macaroon_secret_key", KEY,
                "app_service_config_files", irc + "," + remote,
                RouteRules.INIT_PARAM, "/_matrix/client/*/account/whoami guest")).start();
        MatrixAuth auth = server.auth("/");
        // Tracking is off here, so nothing a request does may write; marking a fresh token used
        // would be the one legitimate write, and the tokens above are marked already.
        database.jdbi().useHandle(h -> h.execute("UPDATE access_tokens SET used = TRUE"));
        writes = org.matrixauth.testing.StatementLog.attachToRequestThreads(auth.database().jdbi());
        buildCorpus();
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        database.close();
    }

    private void add(String name, String target, List<String> headers, int status, String errcode) {
        corpus.add(new Case(name, "GET", target, headers, status, errcode));
    }

    private void bearer(String name, String token, int status, String errcode) {
        add(name, WHOAMI, List.of("Authorization: Bearer " + token), status, errcode);
    }

    private void query(String name, String rawQuery, int status, String errcode) {
        add(name, WHOAMI + "?" + rawQuery, List.of(), status, errcode);
    }

    private static String macaroon(String key, MacaroonsSerializer format, String... caveats) {
        MacaroonsBuilder builder = new MacaroonsBuilder("test", key, "key");
        for (String caveat : caveats) {
            builder.add_first_party_caveat(caveat);
        }
        return builder.getMacaroon().serialize(format);
    }

    private void buildCorpus() {
        // Authorization headers: schemes, spacing, case, repetition, emptiness.
        for (String value : List.of("", " ", "Bearer", "Bearer ", "bearer " + SECRET_TOKEN, "BEARER " + SECRET_TOKEN,
                "Basic " + SECRET_TOKEN, "Token " + SECRET_TOKEN, "Bearer  " + SECRET_TOKEN, "Bearer\t" + SECRET_TOKEN,
                "Bearer " + SECRET_TOKEN + " extra", "Bearer " + SECRET_TOKEN + " " + SECRET_TOKEN, SECRET_TOKEN,
                "Bearer,Bearer", "Digest username=x", "Bearer=" + SECRET_TOKEN, "Bearer:" + SECRET_TOKEN,
                "Bearer \"" + SECRET_TOKEN + "\"", "Bearer " + SECRET_TOKEN + ",", "Negotiate abc")) {
            // HTTP trims the value first (EXT-6); then exactly "Bearer" and one token, or it is malformed (EXT-4).
            String[] parts = value.strip().split(" ", -1);
            boolean bearerForm = parts.length == 2 && parts[0].equals("Bearer");
            add("header [" + value + "]", WHOAMI, List.of("Authorization: " + value), 401,
                    bearerForm ? "M_UNKNOWN_TOKEN" : "M_MISSING_TOKEN");
        }
        for (int n = 2; n <= 6; n++) {
            List<String> headers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                headers.add("Authorization: Bearer " + SECRET_TOKEN);
            }
            add(n + " Authorization headers", WHOAMI, headers, 401, "M_MISSING_TOKEN");
        }
        add("header and query", WHOAMI + "?access_token=" + SECRET_TOKEN, List.of("Authorization: Bearer " + SECRET_TOKEN),
                401, "M_MISSING_TOKEN");
        add("header and empty query", WHOAMI + "?access_token", List.of("Authorization: Bearer x"), 401, "M_MISSING_TOKEN");

        // Tokens: control characters, spaces, non-ASCII, broken escapes, lengths, SQL.
        for (int c : new int[] {0, 1, 7, 8, 9, 10, 13, 27, 31, 127}) {
            query("query token with control %" + String.format("%02X", c), "access_token=a%" + String.format("%02X", c) + "b",
                    401, "M_UNKNOWN_TOKEN");
        }
        for (String encoded : List.of("%C3%A9", "%E2%82%AC", "%F0%9F%98%80", "%FF", "%C0%AF", "%ED%A0%80", "%EF%BB%BF")) {
            query("query token with non-ASCII " + encoded, "access_token=tok" + encoded, 401, "M_UNKNOWN_TOKEN");
        }
        for (String broken : List.of("%", "%2", "%zz", "%%", "a%2", "%G0", "%%32%35", "+", "++", "%20", "a+b")) {
            query("query token with escape [" + broken + "]", "access_token=" + broken, 401, "M_UNKNOWN_TOKEN");
        }
        for (String sql : List.of("'", "''", "' OR '1'='1", "';DROP TABLE users;--", "\" OR 1=1 --", "1;SELECT pg_sleep(5)",
                "x' UNION SELECT name FROM users--", "\\", "%27%3B%20DELETE%20FROM%20access_tokens%3B--", "$$", "${jndi:x}",
                "<script>", "../../etc/passwd", "NULL", "%00")) {
            query("query token SQL/meta [" + sql + "]", "access_token=" + sql.replace(" ", "%20").replace("\"", "%22")
                    .replace("<", "%3C").replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C").replace("$", "%24"),
                    401, "M_UNKNOWN_TOKEN");
        }
        for (String sql : List.of("x'--", "x';--", "'OR'1'='1", "x%00y", "%", "a\"b", "a'b", "a;b", "a\\b", "(select)")) {
            bearer("header token meta [" + sql + "]", sql, 401, "M_UNKNOWN_TOKEN");
        }
        for (int length : new int[] {4095, 4096, 4097, 6000, 7000}) {
            bearer("header token of " + length + " bytes", "a".repeat(length), 401, "M_UNKNOWN_TOKEN");
        }
        query("empty token", "access_token=", 401, "M_UNKNOWN_TOKEN");
        query("two empty tokens", "access_token=&access_token=", 401, "M_UNKNOWN_TOKEN");
        query("empty then good token", "access_token=&access_token=" + SECRET_TOKEN, 401, "M_UNKNOWN_TOKEN");
        query("good then empty token", "access_token=" + SECRET_TOKEN + "&access_token=", 200, null);
        query("token parameter without value", "access_token", 401, "M_UNKNOWN_TOKEN");
        query("encoded parameter name", "access%5Ftoken=" + SECRET_TOKEN, 200, null);
        query("parameter name in caps", "ACCESS_TOKEN=" + SECRET_TOKEN, 401, "M_MISSING_TOKEN");
        query("semicolon is not a separator", "x=1;access_token=" + SECRET_TOKEN, 401, "M_MISSING_TOKEN");
        query("expired token", "access_token=expired_token", 401, "M_UNKNOWN_TOKEN");
        query("prefix of a real token", "access_token=" + SECRET_TOKEN.substring(0, 20), 401, "M_UNKNOWN_TOKEN");
        query("real token with suffix", "access_token=" + SECRET_TOKEN + "x", 401, "M_UNKNOWN_TOKEN");
        query("real token upper-cased", "access_token=" + SECRET_TOKEN.toUpperCase(), 401, "M_UNKNOWN_TOKEN");
        for (int i = 0; i < 10; i++) {
            query("many repeated parameters #" + i, ("access_token=x" + i + "&").repeat(50) + "user_id=" + i, 401, "M_UNKNOWN_TOKEN");
        }

        // user_id and device_id on appservice requests.
        String as = "as_local_token";
        List<String> asHeader = List.of("Authorization: Bearer " + as);
        for (String[] userId : new String[][] {
                {"", "403"}, {"nocolon", "403"}, {"@_irc_bob", "403"}, {"@_irc_bob:other.server", "403"},
                {"@_irc_bob:test.evil", "403"}, {"@_irc_BOB:test", "403"}, {"@_irc_bob:test%00", "403"},
                {"@_irc_" + "a".repeat(300) + ":test", "403"}, {"@_irc_:test", "403"}, {"@_irc_1:test", "403"},
                {"%40_irc_bob%3Atest", "200"}, {"@_irc_bob:test", "200"}, {"@alice:test", "403"}, {"@_irc_bot:test", "200"},
                {"@_irc_bob:test\u00e9", "403"}, {"@%C3%A9:test", "403"}, {"'%20OR%20'1'='1", "403"}}) {
            add("appservice user_id [" + userId[0] + "]", WHOAMI + "?user_id=" + userId[0].replace("\u00e9", "%C3%A9"),
                    asHeader, Integer.parseInt(userId[1]), userId[1].equals("200") ? null : "M_FORBIDDEN");
        }
        add("appservice repeated user_id, first wins", WHOAMI + "?user_id=@_irc_bob:test&user_id=@alice:test", asHeader, 200, null);
        add("appservice repeated user_id, bad first", WHOAMI + "?user_id=@alice:test&user_id=@_irc_bob:test", asHeader, 403,
                "M_FORBIDDEN");
        for (String device : List.of("", "NOPE", "BOBDEV%00", "bobdev", "'%20OR%201=1", "a".repeat(300))) {
            add("appservice device_id [" + device + "]", WHOAMI + "?user_id=@_irc_bob:test&device_id=" + device, asHeader, 400,
                    "M_UNKNOWN_DEVICE");
        }
        add("appservice device_id good", WHOAMI + "?user_id=@_irc_bob:test&device_id=BOBDEV", asHeader, 200, null);
        add("user token ignores user_id", WHOAMI + "?user_id=@_irc_bob:test", List.of("Authorization: Bearer " + SECRET_TOKEN),
                200, null);
        for (String ip : List.of("127.0.0.1", "::1")) {
            corpus.add(new Case("appservice outside its ranges via " + ip, "GET", WHOAMI,
                    List.of("Authorization: Bearer as_remote_token"), 401, "M_UNKNOWN_TOKEN"));
        }
        for (String forwarded : List.of("10.0.0.1", "fd00::1", "10.0.0.1, 127.0.0.1", "[fd00::1]", "garbage", "")) {
            add("X-Forwarded-For [" + forwarded + "] from an untrusted peer", WHOAMI,
                    List.of("Authorization: Bearer as_remote_token", "X-Forwarded-For: " + forwarded), 401, "M_UNKNOWN_TOKEN");
        }

        // Macaroons.
        String good = macaroon(KEY, MacaroonsSerializer.V1, "gen = 1", "type = access", "user_id = @guest:test", "guest = true");
        bearer("macaroon valid guest", good, 200, null);
        for (int cut : new int[] {1, 10, 40, 80, good.length() / 2, good.length() - 20, good.length() - 2, good.length() - 1}) {
            bearer("macaroon truncated to " + cut, good.substring(0, cut), 401, "M_UNKNOWN_TOKEN");
        }
        bearer("macaroon re-signed with another key",
                macaroon("other", MacaroonsSerializer.V1, "gen = 1", "user_id = @guest:test", "guest = true"), 401, "M_UNKNOWN_TOKEN");
        bearer("macaroon expired", macaroon(KEY, MacaroonsSerializer.V1, "user_id = @guest:test", "guest = true", "time < 1"),
                401, "M_UNKNOWN_TOKEN");
        bearer("macaroon wrong type", macaroon(KEY, MacaroonsSerializer.V1, "type = login", "user_id = @guest:test",
                "guest = true"), 401, "M_UNKNOWN_TOKEN");
        bearer("macaroon conflicting user_id", macaroon(KEY, MacaroonsSerializer.V1, "user_id = @guest:test",
                "user_id = @alice:test", "guest = true"), 401, "M_UNKNOWN_TOKEN");
        bearer("macaroon without guest", macaroon(KEY, MacaroonsSerializer.V1, "user_id = @guest:test"), 401, "M_UNKNOWN_TOKEN");
        bearer("macaroon v2", macaroon(KEY, MacaroonsSerializer.V2, "user_id = @guest:test", "guest = true"), 401,
                "M_UNKNOWN_TOKEN");
        bearer("macaroon for a non-guest", macaroon(KEY, MacaroonsSerializer.V1, "user_id = @alice:test", "guest = true"), 401,
                "M_UNKNOWN_TOKEN");
        bearer("macaroon for nobody", macaroon(KEY, MacaroonsSerializer.V1, "user_id = @nobody:test", "guest = true"), 401,
                "M_UNKNOWN_TOKEN");
        bearer("macaroon with unknown caveat", macaroon(KEY, MacaroonsSerializer.V1, "user_id = @guest:test", "guest = true",
                "admin = true"), 401, "M_UNKNOWN_TOKEN");
        bearer("macaroon with empty user_id", macaroon(KEY, MacaroonsSerializer.V1, "user_id = ", "guest = true"), 401,
                "M_UNKNOWN_TOKEN");
        bearer("macaroon with bad time", macaroon(KEY, MacaroonsSerializer.V1, "user_id = @guest:test", "guest = true",
                "time < soon"), 401, "M_UNKNOWN_TOKEN");
        for (String junk : List.of("MDAx", "MDAxMmxvY2F0aW9u", "AgEEdGVzdA", "====", "MDAwMA", "MDAwMGxvY2F0aW9u",
                "TUQ=", "////", "MDAxZmxvY2F0aW9uIHRlc3QK", "MDFmZmxvY2F0aW9uIHRlc3QK")) {
            bearer("macaroon-like junk " + junk, junk, 401, "M_UNKNOWN_TOKEN");
        }
        String tampered = good.substring(0, good.length() - 10) + (good.charAt(good.length() - 10) == 'A' ? 'B' : 'A')
                + good.substring(good.length() - 9);
        bearer("macaroon signature tampered", tampered, 401, "M_UNKNOWN_TOKEN");

        // Well-formed but unknown tokens, of the shapes clients send.
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 15; i++) {
            StringBuilder token = new StringBuilder(i % 3 == 0 ? "syt_" : i % 3 == 1 ? "MDAx" : "");
            for (int j = 0; j < 10 + random.nextInt(60); j++) {
                token.append((char) ('!' + random.nextInt('~' - '!' + 1)));
            }
            String value = token.toString().replace(" ", "");
            bearer("unknown well-formed token #" + i, value, 401, "M_UNKNOWN_TOKEN");
        }
        // Other headers cannot lend a token or an identity.
        for (String header : List.of("Cookie: access_token=" + SECRET_TOKEN, "X-Access-Token: " + SECRET_TOKEN,
                "Proxy-Authorization: Bearer " + SECRET_TOKEN, "X-Forwarded-User: @alice:test", "User-Agent: " + "x".repeat(2000))) {
            add("header " + header.substring(0, header.indexOf(':')), WHOAMI, List.of(header), 401, "M_MISSING_TOKEN");
        }

        // Methods and paths: the rules hold for every method.
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "HEAD")) {
            corpus.add(new Case(method + " without a token", method, WHOAMI, List.of(), 401, "M_MISSING_TOKEN"));
            corpus.add(new Case(method + " with a bad token", method, WHOAMI, List.of("Authorization: Bearer nope"), 401,
                    "M_UNKNOWN_TOKEN"));
        }
        for (String path : List.of("/_matrix/client/v3/account/whoami/", "/_matrix/client/v3/account/whoami;x=1",
                "/_matrix/client/v3/./account/whoami", "/_matrix/%63lient/v3/account/whoami", "/x/../_matrix/client/v3/sync",
                "/_synapse/admin/v1/users", "/", "/nothing")) {
            add("path " + path + " without a token", path, List.of(), 401, "M_MISSING_TOKEN");
        }
    }

    @Test
    void everyHostileRequestGetsItsMatrixAnswerAndNothingLeaks() throws Exception {
        assertTrue(corpus.size() >= 200, "corpus of " + corpus.size());
        PrintStream original = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        List<String> failures = new ArrayList<>();
        try {
            for (Case c : corpus) {
                RawHttp.Response response = RawHttp.send(c.name().contains("via ::1") ? "::1" : "127.0.0.1", server.port(),
                        c.method(), c.target(), c.headers());
                String problem = check(c, response);
                if (problem != null) {
                    failures.add(c.name() + ": " + problem);
                }
            }
        } finally {
            System.setErr(original);
        }
        assertEquals(List.of(), failures);
        assertEquals(List.of(), writes.stream().filter(sql -> !sql.trim().toUpperCase().startsWith("SELECT")).toList(),
                "no request wrote to the database");
        String logged = log.toString(StandardCharsets.UTF_8);
        assertFalse(logged.contains(SECRET_TOKEN), "the token never reaches the log");
        assertFalse(logged.contains(KEY), "the macaroon key never reaches the log");
        assertFalse(logged.contains("as_local_token") || logged.contains("as_remote_token"), "nor appservice tokens");
    }

    private static String check(Case c, RawHttp.Response response) {
        if (response.status() >= 500) {
            return "answered " + response.status() + " " + response.body();
        }
        if (response.status() != c.status()) {
            return "expected " + c.status() + " but got " + response.status() + " " + response.body();
        }
        if (c.method().equals("HEAD")) {
            return null; // no body by definition
        }
        Map<String, Object> body;
        try {
            body = response.json();
        } catch (AssertionError e) {
            return "not JSON: " + response.body();
        }
        if (c.errcode() != null && (!c.errcode().equals(body.get("errcode")) || !(body.get("error") instanceof String))) {
            return "expected " + c.errcode() + " but got " + body;
        }
        if (body.toString().contains(SECRET_TOKEN) && c.errcode() != null) {
            return "the token is echoed in the error";
        }
        return null;
    }
}
