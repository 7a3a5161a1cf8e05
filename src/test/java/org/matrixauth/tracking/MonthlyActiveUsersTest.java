package org.matrixauth.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.spy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.matrixauth.config.MauConfig;
import org.matrixauth.account.Threepid;
import org.matrixauth.store.MauStore;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.MutableClock;
import org.matrixauth.testing.StatementLog;

/** TRK-6 and MAU-1..4 on a real H2 database. */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DatabaseKind.class, names = {"H2", "POSTGRESQL"})
class MonthlyActiveUsersTest {
    @Parameter
    DatabaseKind kind;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> kind);
    static final long DAY = 86_400_000L;
    static final long NOW = 1_800_000_000_000L;
    /** Registered long ago (creation_ts is in seconds, as Synapse writes it). */
    static final long OLD = (NOW - 365 * DAY) / 1000;

    private final MutableClock clock = new MutableClock(NOW);
    private List<String> statements;

    @BeforeEach
    void logStatements() {
        statements = StatementLog.attach(db.jdbi());
    }

    private MonthlyActiveUsers mau(MauConfig config) {
        return new MonthlyActiveUsers(db.database().monthlyActiveUsers(), db.database().users(), config, clock, Duration.ofSeconds(1), 100);
    }

    private static MauConfig limit(int max) {
        return new MauConfig(true, max, false, 0, Map.of(), List.of());
    }

    private Long timestamp(String userId) {
        return db.database().monthlyActiveUsers().lastSeen(userId).stream().boxed().findFirst().orElse(null);
    }

    @Test
    void trk6NewUserIsCountedAtOnceAndACountedUserCostsNoDatabaseIo() {
        db.rows().user("@alice:test", OLD, null, null);
        MonthlyActiveUsers mau = mau(limit(10));
        mau.populate("@alice:test");
        assertEquals(NOW, timestamp("@alice:test"));

        statements.clear();
        clock.advance(59 * 60_000);
        mau.populate("@alice:test");
        assertTrue(mau.isCounted("@alice:test"));
        assertEquals(List.of(), statements, "TRK-6: a user counted within the hour costs no statement");
    }

    @Test
    void trk6TimestampIsRefreshedAfterAnHour() {
        db.rows().user("@alice:test", OLD, null, null);
        MonthlyActiveUsers mau = mau(limit(10));
        mau.populate("@alice:test");
        clock.advance(3_600_001);
        mau.populate("@alice:test");
        assertEquals(NOW + 3_600_001, timestamp("@alice:test"));
    }

    @Test
    void trk6NothingIsCountedWhenNeitherLimitingNorStatsOnly() {
        db.rows().user("@alice:test", OLD, null, null);
        statements.clear();
        mau(MauConfig.OFF).populate("@alice:test");
        assertEquals(List.of(), statements);
        assertEquals(null, timestamp("@alice:test"));
    }

    @Test
    void trk6StatsOnlyCountsPastTheMaximum() {
        db.rows().user("@a:test", OLD, null, null).user("@b:test", OLD, null, null);
        MonthlyActiveUsers mau = mau(new MauConfig(false, 1, true, 0, Map.of(), List.of()));
        mau.populate("@a:test");
        mau.populate("@b:test");
        assertEquals(2, mau.count());
    }

    @Test
    void trk6AFullServerDoesNotCountTheNextNewUser() {
        db.rows().user("@a:test", OLD, null, null).user("@b:test", OLD, null, null);
        MonthlyActiveUsers mau = mau(limit(1));
        mau.populate("@a:test");
        mau.populate("@b:test");
        assertEquals(1, mau.count());
        assertFalse(mau.isCounted("@b:test"));
    }

    @Test
    void trk6GuestsSupportAndTrialUsersAreNotCounted() {
        db.rows().user("@guest:test", false, true);
        db.rows().user("@support:test", OLD, "support", null);
        db.rows().user("@new:test", (NOW - DAY) / 1000, null, null);
        db.rows().user("@_irc_new:test", (NOW - DAY) / 1000, null, "irc");
        db.rows().user("@_slack_new:test", (NOW - DAY) / 1000, null, "slack");
        MonthlyActiveUsers mau = mau(new MauConfig(true, 10, false, 3, Map.of("irc", 0), List.of()));
        for (String user : List.of("@guest:test", "@support:test", "@new:test", "@_irc_new:test", "@_slack_new:test")) {
            mau.populate(user);
        }
        assertEquals(null, timestamp("@guest:test"));
        assertEquals(null, timestamp("@support:test"));
        assertEquals(null, timestamp("@new:test"), "mau_trial_days: 3, registered a day ago");
        assertEquals(NOW, timestamp("@_irc_new:test"), "mau_appservice_trial_days: irc has no trial");
        assertEquals(null, timestamp("@_slack_new:test"), "other appservices fall back to mau_trial_days");

        statements.clear();
        mau.populate("@new:test");
        assertEquals(List.of(), statements, "a user known to be in trial is left be without I/O");

        clock.advance(2 * DAY + 1);
        mau.populate("@new:test");
        assertEquals(NOW + 2 * DAY + 1, timestamp("@new:test"), "counted once the trial is over");
    }

    @Test
    @DisplayName("TRK-6, MAU-1: a user without a users row (an appservice's sender) is counted, as Synapse counts it")
    void trk6AUserWithoutAUsersRowIsCountedAsSynapseCountsIt() {
        MonthlyActiveUsers mau = mau(limit(10));
        mau.populate("@_irc_bot:test");
        assertEquals(NOW, timestamp("@_irc_bot:test"), "no row: not a guest, not in trial, not support");
        assertEquals(1, mau.count(), "this node's cached count");
        assertEquals(1, db.database().monthlyActiveUsers().count(), "Synapse's count joins users: no row, no appservice_id");
        assertEquals(Map.of("native", 1), mau.countByService());
    }

    @Test
    void mau1CountLeavesOutAppserviceUsersAndCountsByService() {
        db.rows().user("@a:test", OLD, null, null).user("@b:test", OLD, null, "").user("@_irc_a:test", OLD, null, "irc")
                .user("@_irc_b:test", OLD, null, "irc").user("@_slack_a:test", OLD, null, "slack");
        MonthlyActiveUsers mau = mau(limit(10));
        for (String user : List.of("@a:test", "@b:test", "@_irc_a:test", "@_irc_b:test", "@_slack_a:test")) {
            mau.populate(user);
        }
        assertEquals(2, mau.count());
        assertEquals(Map.of("native", 2, "irc", 2, "slack", 1), mau.countByService());
    }

    @Test
    @DisplayName("MAU-2: reaping removes entries older than 30 days, then trims to max_mau_value, keeping reserved users")
    void mau2ReapRemovesEntriesOlderThan30DaysThenTrimsButKeepsReservedUsers() {
        db.rows().user("@reserved:test", OLD, null, null).threepid("@reserved:test", "email", "boss@test");
        List<String> users = List.of("@u1:test", "@u2:test", "@u3:test", "@u4:test");
        users.forEach(user -> db.rows().user(user, OLD, null, null));
        MonthlyActiveUsers mau = mau(new MauConfig(true, 3, false, 0, Map.of(),
                List.of(new Threepid("email", "boss@test"))));
        mau.reserveThreepidOwners();
        db.database().monthlyActiveUsers().upsert("@reserved:test", NOW - 40 * DAY);
        db.database().monthlyActiveUsers().upsert("@u1:test", NOW - 31 * DAY);
        db.database().monthlyActiveUsers().upsert("@u2:test", NOW - 3 * DAY);
        db.database().monthlyActiveUsers().upsert("@u3:test", NOW - 2 * DAY);
        db.database().monthlyActiveUsers().upsert("@u4:test", NOW - DAY);

        mau.reap();
        assertEquals(null, timestamp("@u1:test"), "older than 30 days");
        assertEquals(null, timestamp("@u2:test"), "trimmed: the least recent beyond max_mau_value");
        assertEquals(NOW - 2 * DAY, timestamp("@u3:test"));
        assertEquals(NOW - DAY, timestamp("@u4:test"));
        assertEquals(NOW - 40 * DAY, timestamp("@reserved:test"), "reserved users are never reaped");
    }

    @Test
    void mau2ReapingForgetsOnlyTheUsersItRemoved() {
        db.rows().user("@gone:test", OLD, null, null).user("@stays:test", OLD, null, null);
        MonthlyActiveUsers mau = mau(limit(10));
        mau.populate("@gone:test");
        clock.advance(31 * DAY);
        mau.populate("@stays:test");
        mau.reap();
        statements.clear();
        assertTrue(mau.isCounted("@stays:test"));
        assertEquals(List.of(), statements, "a user reaping left alone is still counted without a query");
        assertFalse(mau.isCounted("@gone:test"), "the reaped user is counted afresh");
    }

    @Test
    void trk6ACountTheDatabaseRefusesIsQueuedAndRetriedNeverThrown() {
        db.rows().user("@alice:test", OLD, null, null);
        AtomicBoolean away = new AtomicBoolean(true);
        MauStore store = spy(db.database().monthlyActiveUsers());
        doAnswer(call -> {
            if (away.get()) {
                throw new IllegalStateException("the database is away");
            }
            return call.callRealMethod();
        }).when(store).lastSeen(anyString());
        MauRecorder recorder = new MauRecorder(new MonthlyActiveUsers(store, db.database().users(), limit(10), clock,
                Duration.ofSeconds(1), 100), 100);

        recorder.record("@alice:test", clock.millis());
        recorder.record("@alice:test", clock.millis());
        assertEquals(1, recorder.failures(), "once failing, users are queued without asking the database again");
        assertEquals(1, recorder.queued());
        recorder.retry();
        assertEquals(2, recorder.failures(), "a retry while the database is away fails, and is counted");
        away.set(false);
        recorder.retry();
        assertEquals(0, recorder.queued());
        assertEquals(NOW, timestamp("@alice:test"), "counted once the database answers");
    }

    @Test
    @DisplayName("MAU-3: reserved threepid owners are counted at start-up (emails lower-cased, at most max_mau_value)")
    void mau3ReservedThreepidOwnersAreCountedAtStartUpEmailsLowerCased() {
        db.rows().user("@boss:test", OLD, null, null).threepid("@boss:test", "email", "boss@test.org");
        db.rows().user("@phone:test", OLD, null, null).threepid("@phone:test", "msisdn", "447700900000");
        db.rows().user("@third:test", OLD, null, null).threepid("@third:test", "email", "third@test.org");
        MonthlyActiveUsers mau = mau(new MauConfig(true, 2, false, 0, Map.of(), List.of(
                new Threepid("email", "Boss@Test.ORG"), new Threepid("msisdn", "447700900000"),
                new Threepid("email", "third@test.org"), new Threepid("email", "nobody@test.org"))));
        mau.reserveThreepidOwners();
        assertEquals(List.of("@boss:test", "@phone:test"), mau.reservedUsers(), "at most max_mau_value of them");
        assertEquals(NOW, timestamp("@boss:test"));
        assertEquals(NOW, timestamp("@phone:test"));
        assertEquals(null, timestamp("@third:test"));
    }

    @Test
    @DisplayName("MAU-4: a count changed by this node is seen by its next check")
    void mau4ACountChangedHereIsSeenByTheNextCheck() {
        db.rows().user("@a:test", OLD, null, null);
        MonthlyActiveUsers mau = mau(limit(10));
        assertEquals(0, mau.count());
        mau.populate("@a:test");
        assertEquals(1, mau.count());
    }

    @Test
    @DisplayName("MAU-4: a count changed elsewhere is seen once the cached count is older than the staleness bound")
    void mau4ACountChangedElsewhereIsSeenOnceTheCachedCountIsOlderThanTheStaleness() {
        MonthlyActiveUsers mau = mau(limit(10));
        assertEquals(0, mau.count());
        db.database().monthlyActiveUsers().upsert("@other-node:test", NOW);
        statements.clear();
        assertEquals(0, mau.count(), "cached");
        assertEquals(List.of(), statements);
        clock.advance(1_001);
        assertEquals(1, mau.count());
    }
}
