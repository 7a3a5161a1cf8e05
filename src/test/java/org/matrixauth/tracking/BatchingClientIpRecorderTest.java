package org.matrixauth.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.MutableClock;

/** TRK-3..5 on a real H2 database. */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DatabaseKind.class, names = {"H2", "POSTGRESQL"})
class BatchingClientIpRecorderTest {
    @Parameter
    DatabaseKind kind;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> kind);
    static final long START = 1_700_000_000_000L;

    private final MutableClock clock = new MutableClock(START);

    @BeforeEach
    void seed() {
        db.rows().user("@alice:test").device("@alice:test", "DEV");
    }

    private BatchingClientIpRecorder recorder(int queueLimit) {
        return new BatchingClientIpRecorder(db.database().clientIps(), queueLimit);
    }

    private List<Map<String, Object>> userIps() {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT user_id, access_token, ip, user_agent, device_id, last_seen FROM user_ips ORDER BY user_id, access_token, ip")
                .mapToMap().list());
    }

    private Map<String, Object> device(String userId, String deviceId) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT ip, user_agent, last_seen FROM devices WHERE user_id = :u AND device_id = :d")
                .bind("u", userId).bind("d", deviceId).mapToMap().one());
    }

    private int userIpsCount() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM user_ips").mapTo(Integer.class).one());
    }

    @Test
    void trk3NothingIsWrittenUntilTheFlush() {
        BatchingClientIpRecorder recorder = recorder(100);
        recorder.record("@alice:test", "tok", "10.0.0.1", "Element", "DEV", clock.millis());
        assertEquals(0, userIpsCount());
        assertEquals(1, recorder.pendingRows());
        recorder.flush();
        assertEquals(1, userIpsCount());
        assertEquals(0, recorder.pendingRows());
    }

    @Test
    void trk3AKeySeenWithin120SecondsIsNotQueuedAgain() {
        BatchingClientIpRecorder recorder = recorder(100);
        recorder.record("@alice:test", "tok", "10.0.0.1", "first", "DEV", clock.millis());
        recorder.flush();
        clock.advance(119_000);
        recorder.record("@alice:test", "tok", "10.0.0.1", "second", "DEV", clock.millis());
        assertEquals(0, recorder.pendingRows());
        clock.advance(2_000);
        recorder.record("@alice:test", "tok", "10.0.0.1", "third", "DEV", clock.millis());
        assertEquals(1, recorder.pendingRows());
        recorder.flush();
        assertEquals(List.of(Map.of("user_id", "@alice:test", "access_token", "tok", "ip", "10.0.0.1",
                "user_agent", "third", "device_id", "DEV", "last_seen", START + 121_000)), userIps());
    }

    @Test
    void trk3TheNewestUseOfAKeyWinsWithinABatch() {
        BatchingClientIpRecorder recorder = recorder(100);
        recorder.record("@alice:test", "tok", "10.0.0.1", "old", "DEV", clock.millis());
        clock.advance(130_000);
        recorder.record("@alice:test", "tok", "10.0.0.1", "new", "DEV", clock.millis());
        recorder.flush();
        assertEquals("new", userIps().get(0).get("user_agent"));
    }

    @Test
    void trk4UpsertsUserIpsAndUpdatesButNeverInsertsDevices() {
        BatchingClientIpRecorder recorder = recorder(100);
        recorder.record("@alice:test", "tok", "10.0.0.1", "ua1", "DEV", clock.millis());
        clock.advance(1_000);
        recorder.record("@alice:test", "tok", "10.0.0.2", "ua1", "DEV", clock.millis());
        recorder.record("@alice:test", "tok2", "10.0.0.1", "ua1", "NODEVICE", clock.millis());
        recorder.flush();
        assertEquals(3, userIpsCount());
        assertEquals(Map.of("ip", "10.0.0.2", "user_agent", "ua1", "last_seen", START + 1_000), device("@alice:test", "DEV"),
                "the device shows its most recent use, whatever the order within the batch");
        long devices = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM devices").mapTo(Long.class).one());
        assertEquals(1, devices, "TRK-4: a device that does not exist is not created");

        clock.advance(200_000);
        recorder.record("@alice:test", "tok", "10.0.0.1", "ua2", "DEV", clock.millis());
        recorder.flush();
        assertEquals(3, userIpsCount(), "TRK-4: upsert on (user_id, access_token, ip)");
        assertEquals(Map.of("ip", "10.0.0.1", "user_agent", "ua2", "last_seen", START + 201_000), device("@alice:test", "DEV"));
    }

    /** The durability test: writes refused for a while under continuing requests, then everything lands. */
    @Test
    void trk5AFailedFlushKeepsItsRowsAndTheNextOneWritesThemAll() throws Exception {
        BatchingClientIpRecorder recorder = recorder(100_000);
        db.jdbi().useHandle(h -> h.execute("ALTER TABLE user_ips RENAME TO user_ips_away"));
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int client = 0; client < 4; client++) {
            int c = client;
            clients.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    recorder.record("@alice:test", "tok" + c, "10.0." + c + "." + (i % 250), "ua", "DEV", clock.millis());
                    if (i % 100 == 0) {
                        recorder.flush(); // the database refuses every one of these
                    }
                }
            });
        }
        clients.shutdown();
        clients.awaitTermination(30, TimeUnit.SECONDS);
        recorder.flush();
        assertEquals(4 * 250, recorder.pendingRows(), "every distinct (user, token, ip) is kept");
        assertFalse(recorder.failedFlushes() == 0);

        db.jdbi().useHandle(h -> h.execute("ALTER TABLE user_ips_away RENAME TO user_ips"));
        recorder.flush();
        assertEquals(4 * 250, userIpsCount());
        assertEquals(0, recorder.pendingRows());
        assertEquals(0, recorder.droppedRows());
    }

    @Test
    void trk5ARowRefusedForItsContentIsDroppedAndHoldsBackNoOther() {
        // PostgreSQL refuses a NUL in text (a data exception); both refuse a null user agent (an integrity violation).
        String unstorable = db.isPostgres() ? "bad\0agent" : null;
        BatchingClientIpRecorder recorder = recorder(100_000);
        for (int i = 0; i < 50; i++) {
            recorder.record("@alice:test", "tok", "10.0.0." + i, i == 25 ? unstorable : "ua", "DEV", clock.millis());
        }
        recorder.flush();
        assertEquals(49, userIpsCount(), "every other row is written at once");
        assertEquals(1, recorder.refusedRows());
        assertEquals(0, recorder.pendingRows(), "the refused row is not retried forever");
        assertEquals(0, recorder.failedFlushes());
        recorder.record("@alice:test", "tok", "10.0.1.1", "ua", "DEV", clock.millis());
        recorder.flush();
        assertEquals(50, userIpsCount(), "later flushes are not held back");
    }

    @Test
    void trk5AboveTheBoundTheDroppedCountSaysHowMany() {
        BatchingClientIpRecorder recorder = recorder(10);
        db.jdbi().useHandle(h -> h.execute("ALTER TABLE user_ips RENAME TO user_ips_away"));
        for (int i = 0; i < 25; i++) {
            recorder.record("@alice:test", "tok", "10.0.0." + i, "ua", null, clock.millis());
        }
        recorder.flush();
        assertEquals(10, recorder.pendingRows());
        assertEquals(15, recorder.droppedRows());

        db.jdbi().useHandle(h -> h.execute("ALTER TABLE user_ips_away RENAME TO user_ips"));
        recorder.flush();
        assertEquals(10, userIpsCount());
    }

    @Test
    void trk5ARowRefusedForRoomIsQueuedOnItsNextUse() {
        BatchingClientIpRecorder recorder = recorder(1);
        recorder.record("@alice:test", "tok", "10.0.0.1", "ua", null, clock.millis());
        recorder.record("@alice:test", "tok", "10.0.0.2", "ua", null, clock.millis());
        assertEquals(1, recorder.droppedRows());
        recorder.flush();
        recorder.record("@alice:test", "tok", "10.0.0.2", "ua", null, clock.millis());
        recorder.flush();
        List<Object> ips = new ArrayList<>();
        userIps().forEach(row -> ips.add(row.get("ip")));
        assertEquals(List.of("10.0.0.1", "10.0.0.2"), ips);
    }

    @Test
    void trk3CloseWritesWhatIsPending() {
        BatchingClientIpRecorder recorder = recorder(100);
        recorder.record("@alice:test", "tok", "10.0.0.1", "ua", "DEV", clock.millis());
        recorder.close();
        assertEquals(1, userIpsCount());
    }
}
