package org.matrixauth.bench;

import com.github.nitram509.jmacaroons.MacaroonsBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.matrixauth.store.jdbi.SynapseDatabase;

/**
 * Fills a database the way Synapse would have: users (creation_ts in seconds) and their access
 * tokens, and writes a file of "hot" tokens drawn at random for the load generator. Beside it,
 * HOT_FILE.kinds names one request of each other kind of token (puppet, appservice with
 * user_id, guest macaroon, unknown), one per line: name, path, token. The appservice and the
 * macaroon key are the ones {@code http-load.sh} configures ({@link #APPSERVICE_TOKEN},
 * {@link #MACAROON_KEY}).
 *
 * <pre>java -cp ... org.matrixauth.bench.Seeder JDBC_URL USERS TOKENS HOT HOT_FILE</pre>
 */
public final class Seeder {
    private static final int BATCH = 10_000;
    static final String MACAROON_KEY = "bench-macaroon-key";
    static final String APPSERVICE_TOKEN = "bench_as_token";
    private static final String WHOAMI = "/_matrix/client/v3/account/whoami";

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int users = Integer.parseInt(args[1]);
        int tokens = Integer.parseInt(args[2]);
        int hot = Integer.parseInt(args[3]);
        Path hotFile = Path.of(args[4]);
        long start = System.nanoTime();
        try (SynapseDatabase database = SynapseDatabase.open(url, 2)) {
            database.jdbi().useHandle(h -> {
                h.execute("DELETE FROM access_tokens");
                h.execute("DELETE FROM users");
                h.execute("DELETE FROM user_ips");
                h.execute("DELETE FROM monthly_active_users");
                PreparedBatch batch = h.prepareBatch("INSERT INTO users (name, creation_ts, admin, is_guest, deactivated)"
                        + " VALUES (:name, 1600000000, 0, 0, 0)");
                for (int u = 0; u < users; u++) {
                    batch.bind("name", user(u)).add();
                    if (batch.size() == BATCH) {
                        batch.execute();
                    }
                }
                if (batch.size() > 0) {
                    batch.execute();
                }
                batch = h.prepareBatch("INSERT INTO access_tokens (id, user_id, device_id, token, used)"
                        + " VALUES (:id, :user, :device, :token, TRUE)");
                for (int t = 0; t < tokens; t++) {
                    batch.bind("id", t + 1).bind("user", user(t % users)).bind("device", "DEV" + t)
                            .bind("token", token(t)).add();
                    if (batch.size() == BATCH) {
                        batch.execute();
                    }
                }
                if (batch.size() > 0) {
                    batch.execute();
                }
            });
        }
        writeHotTokens(tokens, hot, hotFile);
        seedKinds(url, Path.of(hotFile + ".kinds"));
        System.out.printf("seeded %d users, %d tokens, %d hot in %.1f s%n", users, tokens, hot,
                (System.nanoTime() - start) / 1e9);
    }

    /** One token of every other kind, for the single-token runs. */
    private static void seedKinds(String url, Path file) throws Exception {
        try (SynapseDatabase database = SynapseDatabase.open(url, 1)) {
            database.jdbi().useHandle(h -> {
                h.execute("INSERT INTO users (name, creation_ts, admin, is_guest, deactivated) VALUES"
                        + " ('@admin:bench', 1600000000, 1, 0, 0), ('@guest:bench', 1600000000, 0, 1, 0)");
                h.execute("INSERT INTO users (name, creation_ts, admin, is_guest, deactivated, appservice_id)"
                        + " VALUES ('@_bench_1:bench', 1600000000, 0, 0, 0, 'bench')");
                // TOK-4: the token's row names its owner (the admin); puppets_user_id the user it acts as.
                h.execute("INSERT INTO access_tokens (id, user_id, device_id, token, puppets_user_id, used)"
                        + " VALUES (-1, '@admin:bench', 'PUPPETDEV', 'syt_bench_puppet', '" + user(0) + "', TRUE)");
            });
        }
        String macaroon = new MacaroonsBuilder("bench", MACAROON_KEY, "key")
                .add_first_party_caveat("gen = 1").add_first_party_caveat("type = access")
                .add_first_party_caveat("user_id = @guest:bench").add_first_party_caveat("guest = true")
                .getMacaroon().serialize();
        Files.write(file, List.of(
                "user " + WHOAMI + " " + token(0),
                "puppet " + WHOAMI + " syt_bench_puppet",
                "appservice " + WHOAMI + "?user_id=%40_bench_1%3Abench " + APPSERVICE_TOKEN,
                "guest " + WHOAMI + " " + macaroon,
                "unknown " + WHOAMI + " syt_bench_unknown_0"));
    }

    static String user(int index) {
        return "@user" + index + ":bench";
    }

    static String token(int index) {
        return "syt_bench_" + index + "_" + Integer.toHexString(Integer.reverse(index * 0x9E3779B9));
    }

    private static void writeHotTokens(int tokens, int hot, Path file) throws IOException {
        Random random = new Random(42);
        List<String> lines = new ArrayList<>(hot);
        java.util.Set<Integer> chosen = new java.util.HashSet<>();
        while (chosen.size() < Math.min(hot, tokens)) {
            chosen.add(random.nextInt(tokens));
        }
        for (int index : chosen) {
            lines.add(token(index));
        }
        Files.write(file, lines);
    }
}
