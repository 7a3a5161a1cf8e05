package org.matrixauth.testing;

import com.github.nitram509.jmacaroons.MacaroonsBuilder;
import com.github.nitram509.jmacaroons.MacaroonsSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.matrixauth.servlet.BrowserHeaders;

/**
 * A corpus of hostile requests, each with the Matrix answer it must get: malformed, repeated,
 * empty and long credentials, odd bytes, SQL metacharacters, bad masquerading parameters,
 * appservice tokens from outside their ranges, spoofed forwarding headers and broken macaroons.
 * It runs wherever the filter guards {@link #WHOAMI} as a {@code guest} route on server
 * {@code test}, over a database {@link #seed seeded} here and the registrations
 * {@link #writeRegistrations written} here: the library's embedded Jetty and the example jar
 * alike. Requests a container refuses before any filter sees them are each runner's own cases.
 */
public final class HostileCorpus {
    public static final String SERVER_NAME = "test";
    public static final String KEY = "corpus-macaroon-key";
    public static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    public static final String SECRET_TOKEN = "syt_corpus_secret_token_value_42";
    public static final List<String> APPSERVICE_TOKENS = List.of("as_local_token", "as_remote_token");
    /** The users the corpus' admitted requests act as: the only ones a homeserver may record. */
    public static final Set<String> ADMITTED_USERS = Set.of("@alice:test", "@guest:test", "@_irc_bob:test", "@_irc_bot:test");

    /**
     * One request and its expected answer.
     *
     * @param peer the address the request comes from: "127.0.0.1" or "::1"
     * @param errcode the expected Matrix error, or null where the request is valid in disguise
     */
    public record Case(String name, String peer, String method, String target, List<String> headers, int status,
                       String errcode) {
        public Case(String name, String method, String target, List<String> headers, int status, String errcode) {
            this(name, "127.0.0.1", method, target, headers, status, errcode);
        }

        public RawHttp.Response send(int port) throws IOException {
            return RawHttp.send(peer, port, method, target, headers);
        }

        /** What is wrong with the response, or null if it is the expected Matrix answer. */
        public String problem(RawHttp.Response response) {
            if (response.status() >= 500) {
                return "answered " + response.status() + " " + response.body();
            }
            if (response.status() != status) {
                return "expected " + status + " but got " + response.status() + " " + response.body();
            }
            if (method.equals("HEAD")) {
                return null; // no body by definition
            }
            Map<String, Object> body;
            try {
                body = response.json();
            } catch (AssertionError e) {
                return "not JSON: " + response.body();
            }
            if (errcode != null && (!errcode.equals(body.get("errcode")) || !(body.get("error") instanceof String))) {
                return "expected " + errcode + " but got " + body;
            }
            if (errcode != null && body.toString().contains(SECRET_TOKEN)) {
                return "the token is echoed in the error";
            }
            if (errcode != null && !BrowserHeaders.CORS.get(BrowserHeaders.ALLOW_ORIGIN).equals(response.header(BrowserHeaders.ALLOW_ORIGIN))) {
                return "WEB-2: a page on another origin cannot read this error: " + response.headers();
            }
            if (errcode != null && !BrowserHeaders.NO_CACHE.equals(response.header(BrowserHeaders.CACHE_CONTROL))) {
                return "WEB-3: no Cache-Control: " + response.headers();
            }
            return null;
        }
    }

    private final List<Case> cases = new ArrayList<>();

    private final Unserved unserved;

    private HostileCorpus(Unserved unserved) {
        this.unserved = unserved;
    }

    /** The rows the corpus expects: users, their tokens and devices, an expired token. */
    public static void seed(Jdbi jdbi) {
        SynapseRows rows = new SynapseRows(jdbi);
        rows.user("@alice:test").token("@alice:test", SECRET_TOKEN, "DEV");
        rows.user("@guest:test", false, true);
        rows.user("@_irc_bob:test").device("@_irc_bob:test", "BOBDEV");
        rows.token("@alice:test", "expired_token", "DEV", null, 1_000L);
        // Marking a fresh token used would be the one legitimate write of a request; these are marked.
        jdbi.useHandle(h -> h.execute("UPDATE access_tokens SET used = TRUE"));
    }

    /**
     * Two registrations: "irc", allowed from loopback only, with an exclusive user namespace and a
     * loose one that admits any character; and
     * "remote", allowed only from private ranges no test request comes from.
     *
     * @return the files, for {@code app_service_config_files}
     */
    public static List<Path> writeRegistrations(Path dir) throws IOException {
        Path irc = Files.writeString(dir.resolve("irc.yaml"), """
                id: irc
                url: null
                as_token: as_local_token
                hs_token: hs_local
                sender_localpart: _irc_bot
                ip_range_whitelist: ["127.0.0.1/32", "::1/128"]
                namespaces:
                  users:
                    - {regex: '@_irc_[a-z]+:test$', exclusive: true}
                    - {regex: '@_irc_x.*', exclusive: false}
                """);
        Path remote = Files.writeString(dir.resolve("remote.yaml"), """
                id: remote
                url: null
                as_token: as_remote_token
                hs_token: hs_remote
                sender_localpart: remote_bot
                ip_range_whitelist: ["10.0.0.0/8", "fd00::/8"]
                """);
        return List.of(irc, remote);
    }

    /** Whether a captured log holds any secret the corpus used; names the first one found. */
    public static String secretIn(String log) {
        for (String secret : List.of(SECRET_TOKEN, KEY, APPSERVICE_TOKENS.get(0), APPSERVICE_TOKENS.get(1))) {
            if (log.contains(secret)) {
                return secret;
            }
        }
        return null;
    }

    /** How the server under test answers a method or path it does not serve. */
    public enum Unserved {
        /** The filter's safe default: no route rule names it, so a token comes first. */
        TOKEN_FIRST,
        /**
         * Synapse's routing (every served method and path listed, {@code /** public} last, as in
         * the example homeserver): 404 for a path, 405 for a method, M_UNRECOGNIZED, token or not.
         */
        UNRECOGNIZED
    }

    public static List<Case> cases(Unserved unserved) {
        HostileCorpus corpus = new HostileCorpus(unserved);
        corpus.authorizationHeaders();
        corpus.tokens();
        corpus.masquerading();
        corpus.macaroons();
        corpus.otherHeadersMethodsAndPaths();
        return List.copyOf(corpus.cases);
    }

    private void add(String name, String target, List<String> headers, int status, String errcode) {
        cases.add(new Case(name, "GET", target, headers, status, errcode));
    }

    private void bearer(String name, String token, int status, String errcode) {
        add(name, WHOAMI, List.of("Authorization: Bearer " + token), status, errcode);
    }

    private void query(String name, String rawQuery, int status, String errcode) {
        add(name, WHOAMI + "?" + rawQuery, List.of(), status, errcode);
    }

    private static String macaroon(String key, MacaroonsSerializer format, String... caveats) {
        MacaroonsBuilder builder = new MacaroonsBuilder(SERVER_NAME, key, "key");
        for (String caveat : caveats) {
            builder.add_first_party_caveat(caveat);
        }
        return builder.getMacaroon().serialize(format);
    }

    /** Schemes, spacing, case, repetition, emptiness. */
    private void authorizationHeaders() {
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
    }

    /** Control characters, spaces, non-ASCII, broken escapes, lengths, SQL, repetition. */
    private void tokens() {
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
        query("query token of 4096 bytes", "access_token=" + "a".repeat(4096), 401, "M_UNKNOWN_TOKEN");
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
        // Well-formed but unknown tokens, of the shapes clients send.
        Random random = new Random(7);
        for (int i = 0; i < 15; i++) {
            StringBuilder token = new StringBuilder(i % 3 == 0 ? "syt_" : i % 3 == 1 ? "MDAx" : "");
            for (int j = 0; j < 10 + random.nextInt(60); j++) {
                token.append((char) ('!' + random.nextInt('~' - '!' + 1)));
            }
            bearer("unknown well-formed token #" + i, token.toString(), 401, "M_UNKNOWN_TOKEN");
        }
    }

    /** user_id and device_id on appservice requests, address ranges, forwarding headers. */
    private void masquerading() {
        List<String> asHeader = List.of("Authorization: Bearer " + APPSERVICE_TOKENS.get(0));
        for (String[] userId : new String[][] {
                {"", "403"}, {"nocolon", "403"}, {"@_irc_bob", "403"}, {"@_irc_bob:other.server", "403"},
                {"@_irc_bob:test.evil", "403"}, {"@_irc_BOB:test", "403"}, {"@_irc_bob:test%00", "403"},
                {"@_irc_" + "a".repeat(300) + ":test", "403"}, {"@_irc_:test", "403"}, {"@_irc_1:test", "403"},
                {"%40_irc_bob%3Atest", "200"}, {"@_irc_bob:test", "200"}, {"@alice:test", "403"}, {"@_irc_bot:test", "200"},
                {"@_irc_bob:test%C3%A9", "403"}, {"@_irc_x%00:test", "403"}, {"@_irc_x:test%0A", "403"},
                {"@_irc_x%00", "403"}, {"@_irc_x%FF%FE", "403"}, {"@%C3%A9:test", "403"}, {"'%20OR%20'1'='1", "403"}}) {
            add("appservice user_id [" + userId[0] + "]", WHOAMI + "?user_id=" + userId[0], asHeader,
                    Integer.parseInt(userId[1]), userId[1].equals("200") ? null : "M_FORBIDDEN");
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
        List<String> remote = List.of("Authorization: Bearer " + APPSERVICE_TOKENS.get(1));
        for (String peer : List.of("127.0.0.1", "::1")) {
            cases.add(new Case("appservice outside its ranges via " + peer, peer, "GET", WHOAMI, remote, 401, "M_UNKNOWN_TOKEN"));
        }
        for (String forwarded : List.of("10.0.0.1", "fd00::1", "10.0.0.1, 127.0.0.1", "[fd00::1]", "garbage", "")) {
            List<String> headers = new ArrayList<>(remote);
            headers.add("X-Forwarded-For: " + forwarded);
            add("X-Forwarded-For [" + forwarded + "] from an untrusted peer", WHOAMI, headers, 401, "M_UNKNOWN_TOKEN");
        }
    }

    /** Truncated, re-signed, expired, mistyped, conflicting, non-guest, v2 and junk macaroons. */
    private void macaroons() {
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
    }

    /** Other headers cannot lend a token or an identity; the rules hold for every method and path. */
    private void otherHeadersMethodsAndPaths() {
        for (String header : List.of("Cookie: access_token=" + SECRET_TOKEN, "X-Access-Token: " + SECRET_TOKEN,
                "Proxy-Authorization: Bearer " + SECRET_TOKEN, "X-Forwarded-User: @alice:test", "User-Agent: " + "x".repeat(2000))) {
            add("header " + header.substring(0, header.indexOf(':')), WHOAMI, List.of(header), 401, "M_MISSING_TOKEN");
        }
        // HEAD is GET without a body, as Synapse routes it; the others are not served.
        cases.add(new Case("HEAD without a token", "HEAD", WHOAMI, List.of(), 401, "M_MISSING_TOKEN"));
        cases.add(new Case("HEAD with a bad token", "HEAD", WHOAMI, List.of("Authorization: Bearer nope"), 401, "M_UNKNOWN_TOKEN"));
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            cases.add(unserved(new Case(method + " without a token", method, WHOAMI, List.of(), 401, "M_MISSING_TOKEN"), 405));
            cases.add(unserved(new Case(method + " with a bad token", method, WHOAMI, List.of("Authorization: Bearer nope"),
                    401, "M_UNKNOWN_TOKEN"), 405));
        }
        // The container normalises these to the whoami path itself.
        for (String path : List.of("/_matrix/client/v3/account/whoami;x=1", "/_matrix/client/v3/./account/whoami",
                "/_matrix/%63lient/v3/account/whoami")) {
            add("path " + path + " without a token", path, List.of(), 401, "M_MISSING_TOKEN");
        }
        for (String path : List.of("/_matrix/client/v3/account/whoami/", "/x/../_matrix/client/v3/sync",
                "/_synapse/admin/v1/users", "/", "/nothing")) {
            cases.add(unserved(new Case("path " + path + " without a token", "GET", path, List.of(), 401, "M_MISSING_TOKEN"),
                    404));
        }
    }

    /** {@code tokenFirst} as the filter's default answers it, or as Synapse's routing does. */
    private Case unserved(Case tokenFirst, int unrecognizedStatus) {
        return unserved == Unserved.TOKEN_FIRST ? tokenFirst : new Case(tokenFirst.name(), tokenFirst.peer(),
                tokenFirst.method(), tokenFirst.target(), tokenFirst.headers(), unrecognizedStatus, "M_UNRECOGNIZED");
    }
}
