package org.matrixauth.bench;

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
 * tokens, and writes a file of "hot" tokens drawn at random for the load generator.
 *
 * <pre>java -cp ... org.matrixauth.bench.Seeder JDBC_URL USERS TOKENS HOT HOT_FILE</pre>
 */
public final class Seeder {
    private static final int BATCH = 10_000;

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
        System.out.printf("seeded %d users, %d tokens, %d hot in %.1f s%n", users, tokens, hot,
                (System.nanoTime() - start) / 1e9);
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
