package org.matrixauth.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Fills a fresh, empty PostgreSQL database with Synapse's row shapes at a given number of users,
 * for the scale benchmark ({@code bench/scale.sh}), with {@code COPY ... FROM STDIN} (pgjdbc's
 * {@link CopyManager}, text format generated and streamed in 256 KiB chunks; no INSERT per row):
 *
 * <ul>
 *   <li>{@code users}: {@code @userN:bench}, a bcrypt-shaped password hash, creation_ts in seconds,
 *       not admin (but user 0), not a guest; one in 100 users is deactivated (and so, as Synapse
 *       leaves it, has no token, device nor MAU row);</li>
 *   <li>{@code access_tokens}: one per active user, and a second one for three users in ten (1.3
 *       per user on average), {@link Seeder#token(int)} of the token's index (its id less one),
 *       {@code valid_until_ms}, {@code puppets_user_id} and {@code refresh_token_id} NULL,
 *       {@code used} TRUE, {@code last_validated} at its creation;</li>
 *   <li>{@code devices}: one per token, with a display name, last_seen, ip and user agent;</li>
 *   <li>{@code user_ips}: three rows (three addresses) for one user in five, with that user's
 *       first token;</li>
 *   <li>{@code monthly_active_users}: three users in ten, seen within the last 30 days.</li>
 * </ul>
 *
 * <p>Modes: {@code notify} opens the library on the empty database first
 * ({@link SynapseDatabase#open(String, int)}: its migrations create Synapse's tables and, on
 * PostgreSQL, the change-notification triggers); {@code beside-synapse} creates the schema a
 * Synapse 1.50 database has (the tests' fixture, {@code /fixtures/synapse-1.50-schema.sql} of the
 * library's test-jar, loaded as {@code TestDatabase.synapse150()} loads it), with today's
 * {@code users.locked} and {@code users.suspended} added as
 * {@code SynapseInvalidationStreamTest} does, and no trigger: the library then follows Synapse's
 * {@code cache_invalidation_stream_by_instance} (CACHE-5). The COPYs run with
 * {@code session_replication_role = replica}, so no trigger fires on the seeded rows. Then
 * {@code ANALYZE}. Seconds per table are printed.
 *
 * <p>ACTIVE_FILE receives the first MAX_ACTIVE tokens of a fixed random order of all tokens (seed
 * 28), one per line, rank 1 first: {@code head -n K} of it is the active set of K tokens that
 * {@code bench/zipf.lua} draws from.
 *
 * <pre>java -cp ... org.matrixauth.bench.ScaleSeeder JDBC_URL USERS notify|beside-synapse ACTIVE_FILE MAX_ACTIVE</pre>
 * e.g. {@code java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.matrixauth.bench.ScaleSeeder
 * "jdbc:postgresql://127.0.0.1:5432/bench_scale_1m?user=postgres" 1000000 notify /tmp/active.txt 100000}
 */
public final class ScaleSeeder {
    static final long NOW_MS = System.currentTimeMillis();
    private static final long DAY_MS = 86_400_000L;
    private static final String[] AGENTS = {
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Element/1.11.85 Chrome/130.0.6723.152 Electron/33.2.1 Safari/537.36",
        "Element/1.6.24 (Pixel 7; Android 14; UP1A.231005.007; Flavour GooglePlay; MatrixAndroidSdk2 1.6.24)",
        "Element/1.11.20 (iPhone15,2; iOS 17.5.1; Scale/3.00)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    };
    private static final String[] DEVICE_NAMES = {"Element Desktop (Linux)", "Element Android", "Element iOS", "app.element.io: Chrome on Windows"};

    private ScaleSeeder() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int users = Integer.parseInt(args[1]);
        String mode = args[2];
        Path activeFile = Path.of(args[3]);
        int maxActive = Integer.parseInt(args[4]);
        long start = System.nanoTime();
        switch (mode) {
            case "notify" -> {
                try (SynapseDatabase database = SynapseDatabase.open(url, 1)) {
                    if (!database.features().toldOfChanges()) {
                        throw new IllegalStateException("the library installed no change notifications here");
                    }
                }
            }
            case "beside-synapse" -> {
                synapseSchema(url);
                try (SynapseDatabase database = SynapseDatabase.open(url, 1)) {
                    if (!database.features().invalidationStream()) {
                        throw new IllegalStateException("the library does not follow Synapse's invalidation stream here");
                    }
                }
            }
            default -> throw new IllegalArgumentException("mode: notify or beside-synapse, not " + mode);
        }
        System.out.printf("schema (%s): %.1f s%n", mode, seconds(start));
        int tokens;
        try (Connection connection = DriverManager.getConnection(url)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET session_replication_role = replica");
            }
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            boolean locked = hasColumn(connection, "users", "locked");
            boolean suspended = hasColumn(connection, "users", "suspended");
            timed("users", () -> copy(copy, "users (name, password_hash, creation_ts, admin, upgrade_ts, is_guest, appservice_id,"
                    + " consent_version, consent_server_notice_sent, user_type, deactivated, shadow_banned"
                    + (locked ? ", locked" : "") + (suspended ? ", suspended" : "") + ")", out -> {
                        for (int u = 0; u < users; u++) {
                            out.append(Seeder.user(u)).append('\t').append(passwordHash(u)).append('\t')
                                    .append(1_600_000_000L + u % 100_000_000).append('\t').append(u == 0 ? 1 : 0)
                                    .append("\t\\N\t0\t\\N\t\\N\t\\N\t\\N\t").append(deactivated(u) ? 1 : 0).append("\t\\N");
                            if (locked) {
                                out.append("\tf");
                            }
                            if (suspended) {
                                out.append("\tf");
                            }
                            out.append('\n');
                            out.flushIfFull();
                        }
                    }));
            int[] count = new int[1];
            timed("access_tokens", () -> copy(copy, "access_tokens (id, user_id, device_id, token, valid_until_ms, puppets_user_id,"
                    + " last_validated, refresh_token_id, used)", out -> {
                        forEachToken(users, (t, u, first) -> {
                            out.append(t + 1).append('\t').append(Seeder.user(u)).append('\t').append(deviceId(t)).append('\t')
                                    .append(Seeder.token(t)).append("\t\\N\t\\N\t").append(createdMs(t)).append("\t\\N\tt\n");
                            out.flushIfFull();
                            count[0]++;
                        });
                    }));
            tokens = count[0];
            timed("devices", () -> copy(copy, "devices (user_id, device_id, display_name, last_seen, ip, user_agent, hidden)", out ->
                    forEachToken(users, (t, u, first) -> {
                        out.append(Seeder.user(u)).append('\t').append(deviceId(t)).append('\t').append(DEVICE_NAMES[t & 3])
                                .append('\t').append(NOW_MS - mix(t) % (90 * DAY_MS)).append('\t').append(ip(t, 0)).append('\t')
                                .append(AGENTS[t & 3]).append("\tf\n");
                        out.flushIfFull();
                    })));
            timed("user_ips", () -> copy(copy, "user_ips (user_id, access_token, device_id, ip, user_agent, last_seen)", out ->
                    forEachToken(users, (t, u, first) -> {
                        if (first && mix(u) % 5 == 0) {
                            for (int i = 0; i < 3; i++) {
                                out.append(Seeder.user(u)).append('\t').append(Seeder.token(t)).append('\t').append(deviceId(t))
                                        .append('\t').append(ip(t, i)).append('\t').append(AGENTS[t & 3]).append('\t')
                                        .append(NOW_MS - (mix(t + i) % (30 * DAY_MS))).append('\n');
                            }
                            out.flushIfFull();
                        }
                    })));
            timed("monthly_active_users", () -> copy(copy, "monthly_active_users (user_id, \"timestamp\")", out -> {
                for (int u = 0; u < users; u++) {
                    if (!deactivated(u) && mix(u) % 10 < 3) {
                        out.append(Seeder.user(u)).append('\t').append(NOW_MS - mix(u + 7) % (30 * DAY_MS)).append('\n');
                        out.flushIfFull();
                    }
                }
            }));
            timed("ANALYZE", () -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ANALYZE");
                }
                return -1;
            });
        }
        writeActive(tokens, Math.min(maxActive, tokens), activeFile);
        System.out.printf("seeded %,d users, %,d tokens (%s) in %.1f s; %,d active tokens in %s%n", users, tokens, mode,
                seconds(start), Math.min(maxActive, tokens), activeFile);
    }

    /** What a Synapse 1.50 database holds before any user (the tests' fixture), with today's users.locked and users.suspended. */
    private static void synapseSchema(String url) throws IOException, SQLException {
        String sql;
        try (InputStream in = ScaleSeeder.class.getResourceAsStream("/fixtures/synapse-1.50-schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("the library's test-jar (fixtures/synapse-1.50-schema.sql) is not on the classpath");
            }
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
        }
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            for (String one : sql.split(";\\s*\\n")) {
                if (!one.isBlank()) {
                    statement.execute(one);
                }
            }
            statement.execute("RESET search_path"); // the dump's set_config('search_path', '', false)
            statement.execute("ALTER TABLE users ADD COLUMN locked BOOLEAN DEFAULT FALSE NOT NULL");
            statement.execute("ALTER TABLE users ADD COLUMN suspended BOOLEAN DEFAULT FALSE NOT NULL");
            // What Synapse streams as it starts (MonthlyActiveUsersStore's reaping), as the tests write it.
            for (String func : new String[] {"user_last_seen_monthly_active", "get_monthly_active_count"}) {
                statement.execute("INSERT INTO cache_invalidation_stream_by_instance (stream_id, instance_name, cache_func, keys,"
                        + " invalidation_ts) VALUES (nextval('cache_invalidation_stream_seq'), 'master', '" + func + "', NULL, "
                        + NOW_MS + ")");
            }
        }
    }

    private static boolean hasColumn(Connection connection, String table, String column) throws SQLException {
        try (var columns = connection.getMetaData().getColumns(null, null, table, column)) {
            return columns.next();
        }
    }

    /** Tokens in id order: user u's first, then for three users in ten a second one; none for a deactivated user. */
    private static void forEachToken(int users, TokenVisitor visitor) {
        int t = 0;
        for (int u = 0; u < users; u++) {
            if (deactivated(u)) {
                continue;
            }
            visitor.visit(t++, u, true);
            if (u % 10 < 3) {
                visitor.visit(t++, u, false);
            }
        }
    }

    static boolean deactivated(int u) {
        return u % 100 == 99;
    }

    /** Ten upper-case letters, as Synapse's device ids, fixed by the token's index. */
    static String deviceId(int t) {
        long x = mix(t + 1);
        char[] id = new char[10];
        for (int i = 0; i < 10; i++) {
            id[i] = (char) ('A' + (int) Long.remainderUnsigned(x, 26));
            x = Long.divideUnsigned(x, 26) ^ (x << 7);
        }
        return new String(id);
    }

    private static long createdMs(int t) {
        return NOW_MS - 30 * DAY_MS - mix(t) % (365 * DAY_MS);
    }

    private static String passwordHash(int u) {
        // bcrypt's shape ($2b$12$ and 53 characters of its alphabet), not a hash of anything.
        StringBuilder hash = new StringBuilder(60).append("$2b$12$");
        long x = mix(u + 1);
        String alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < 53; i++) {
            hash.append(alphabet.charAt((int) (x & 63)));
            x = (x >>> 6) | (x << 58);
            if (i % 10 == 9) {
                x = mix((int) x + i);
            }
        }
        return hash.toString();
    }

    private static String ip(int t, int i) {
        long x = mix(t * 3 + i);
        // i in the last octet: a token's addresses never collide (user_ips is unique per user, token, ip)
        return "10." + ((x >>> 8) & 255) + "." + ((x >>> 16) & 255) + "." + (1 + 4 * (x & 63) + i);
    }

    /** A fixed non-negative scramble of an index (SplitMix64's finaliser). */
    static long mix(int index) {
        long z = index * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }

    /** The first n of a fixed random order of all tokens, rank 1 first. */
    private static void writeActive(int tokens, int n, Path file) throws IOException {
        int[] order = new int[tokens];
        for (int i = 0; i < tokens; i++) {
            order[i] = i;
        }
        Random random = new Random(28);
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) { // a partial Fisher-Yates shuffle
            int j = i + random.nextInt(tokens - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
            lines.add(Seeder.token(order[i]));
        }
        Files.write(file, lines);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void timed(String table, SqlWork work) throws SQLException {
        long start = System.nanoTime();
        long rows = work.run();
        System.out.printf("  %-22s %s %.1f s%n", table, rows >= 0 ? String.format("%,11d rows", rows) : "           ", seconds(start));
    }

    private static long copy(CopyManager manager, String target, RowWriter rows) throws SQLException {
        CopyIn copyIn = manager.copyIn("COPY " + target + " FROM STDIN");
        Chunks out = new Chunks(copyIn);
        try {
            rows.write(out);
            out.flush();
            return copyIn.endCopy();
        } finally {
            if (copyIn.isActive()) {
                copyIn.cancelCopy();
            }
        }
    }

    /** Text rows gathered and sent in chunks of about 256 KiB. */
    static final class Chunks {
        private static final int CHUNK = 256 * 1024;
        private final CopyIn copyIn;
        private final StringBuilder buffer = new StringBuilder(CHUNK + 4096);

        Chunks(CopyIn copyIn) {
            this.copyIn = copyIn;
        }

        Chunks append(String s) {
            buffer.append(s);
            return this;
        }

        Chunks append(long n) {
            buffer.append(n);
            return this;
        }

        Chunks append(char c) {
            buffer.append(c);
            return this;
        }

        void flushIfFull() {
            if (buffer.length() >= CHUNK) {
                flush();
            }
        }

        void flush() {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            buffer.setLength(0);
            try {
                copyIn.writeToCopy(bytes, 0, bytes.length);
            } catch (SQLException e) {
                throw new UncheckedIOException(new IOException(e));
            }
        }
    }

    @FunctionalInterface
    interface TokenVisitor {
        void visit(int token, int user, boolean first);
    }

    @FunctionalInterface
    interface RowWriter {
        void write(Chunks out) throws SQLException;
    }

    @FunctionalInterface
    interface SqlWork {
        long run() throws SQLException;
    }
}
