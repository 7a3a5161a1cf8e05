package org.matrixauth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.matrixauth.config.BlockingConfig;
import org.matrixauth.config.MauConfig;
import org.matrixauth.error.MatrixException;
import org.matrixauth.store.MauStore;
import org.matrixauth.account.Threepid;
import org.matrixauth.account.UserRecord;
import org.matrixauth.store.UserStore;
import org.matrixauth.testing.TestAppServices;
import org.matrixauth.tracking.MonthlyActiveUsers;

/** BLK-1..6 beyond the seed's cases, on mocked stores. */
class AuthBlockingTest {
    static final String ADMIN_CONTACT = "mailto:ops@test";
    static final MauConfig FULL_AT_2 = new MauConfig(true, 2, false, 0, Map.of(),
            List.of(new Threepid("email", "Reserved@Test.org")));
    static final BlockingConfig ENABLED = new BlockingConfig(false, "", ADMIN_CONTACT, "@notices:test");

    private final MauStore mauStore = mock(MauStore.class);
    private final UserStore users = mock(UserStore.class);

    private AuthBlocking blocking(BlockingConfig config, boolean trackAppserviceUserIps) {
        return new AuthBlocking(config, FULL_AT_2, trackAppserviceUserIps, "test",
                new MonthlyActiveUsers(mauStore, users, FULL_AT_2, Clock.systemUTC(), Duration.ofMinutes(1), 100), users);
    }

    private void full() {
        when(mauStore.count()).thenReturn(2);
    }

    private void counted(String userId) {
        when(mauStore.lastSeen(userId)).thenReturn(OptionalLong.of(1));
    }

    private void user(String userId, String userType, long creationTs) {
        when(users.findUser(userId)).thenReturn(Optional.of(
                new UserRecord(userId, false, false, false, false, false, userType, null, creationTs)));
    }

    private static Requester userRequester(String userId, String authenticatedEntity) {
        return Requester.user(userId).puppetedBy(authenticatedEntity).accessTokenId(1L).deviceId("DEV").build();
    }

    private static MatrixException blocked(Runnable check) {
        return assertThrows(MatrixException.class, check::run);
    }

    @Test
    void blk1PuppetTokenChecksTheAdminWhoOwnsIt() {
        full();
        counted("@admin:test");
        blocking(ENABLED, false).check(userRequester("@alice:test", "@admin:test"));
        blocked(() -> blocking(ENABLED, false).check(userRequester("@admin:test", "@alice:test")));
    }

    @Test
    void blk1TheServerItselfIsNeverBlocked() {
        full();
        blocking(new BlockingConfig(true, "down", ADMIN_CONTACT, null), false).check(userRequester("@alice:test", "test"));
    }

    @Test
    void blk2AppserviceIsBlockedOnlyWhenItsUsersAreTracked() {
        full();
        Requester appService = Requester.appService(
                TestAppServices.appService("as", "@_irc_bot:test", List.of("@_irc_.*"), List.of()), "@_irc_bob:test").build();
        blocking(ENABLED, false).check(appService);
        blocked(() -> blocking(ENABLED, true).check(appService));
        counted("@_irc_bob:test");
        blocking(ENABLED, true).check(appService);
    }

    @Test
    @DisplayName("BLK-7: a new access token for an appservice's ghost is blocked only while its users are tracked; anyone else's always")
    void blk7NewAccessTokenForAnAppserviceGhost() {
        full();
        blocking(ENABLED, false).checkNewAccessToken("@_irc_bob:test", true);
        blocked(() -> blocking(ENABLED, true).checkNewAccessToken("@_irc_bob:test", true));
        blocked(() -> blocking(ENABLED, false).checkNewAccessToken("@_irc_bob:test", false));
    }

    @Test
    void blk3ServerNoticesAndSupportUsersAreNeverBlocked() {
        full();
        BlockingConfig disabled = new BlockingConfig(true, "down", ADMIN_CONTACT, "@notices:test");
        blocking(disabled, false).checkUser("@notices:test");
        user("@help:test", "support", 0);
        blocking(disabled, false).checkUser("@help:test");
        blocking(ENABLED, false).checkUser("@help:test");
    }

    @Test
    @DisplayName("BLK-4: a disabled server refuses with its message, admin_contact and limit_type hs_disabled")
    void blk4DisabledServerAnswersWithItsMessage() {
        counted("@alice:test");
        MatrixException e = blocked(() -> blocking(new BlockingConfig(true, "Down for maintenance", ADMIN_CONTACT, null), false)
                .checkUser("@alice:test"));
        assertEquals(403, e.status());
        assertEquals("M_RESOURCE_LIMIT_EXCEEDED", e.errcode());
        assertEquals("Down for maintenance", e.error());
        assertEquals(Map.of("admin_contact", ADMIN_CONTACT, "limit_type", "hs_disabled"), e.extraFields());
    }

    @Test
    void blk5MauLimitAnswersWithAdminContactAndLimitType() {
        full();
        MatrixException e = blocked(() -> blocking(ENABLED, false).checkUser("@new:test"));
        assertEquals(403, e.status());
        assertEquals("M_RESOURCE_LIMIT_EXCEEDED", e.errcode());
        assertEquals("Monthly Active User Limit Exceeded", e.error());
        assertEquals(Map.of("admin_contact", ADMIN_CONTACT, "limit_type", "monthly_active_user"), e.extraFields());
    }

    @Test
    void blk5WithoutAdminContactTheFieldIsNull() {
        full();
        MatrixException e = blocked(() -> blocking(new BlockingConfig(false, "", null, null), false).checkUser("@new:test"));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("admin_contact", null);
        expected.put("limit_type", "monthly_active_user");
        assertEquals(expected, e.extraFields());
    }

    @Test
    void blk5CountedUsersPassWithoutFurtherIo() {
        full();
        counted("@alice:test");
        AuthBlocking blocking = blocking(ENABLED, false);
        for (int i = 0; i < 5; i++) {
            blocking.checkUser("@alice:test");
        }
        verify(mauStore, times(1)).lastSeen("@alice:test");
        verify(mauStore, never()).count();
        verify(users, never()).findUser(anyString());
    }

    @Test
    void blk5AnUncountedUserAskingAgainCostsNoFurtherIoWithinTheStaleness() {
        when(mauStore.count()).thenReturn(1);
        AuthBlocking blocking = blocking(ENABLED, false);
        for (int i = 0; i < 5; i++) {
            blocking.checkUser("@guest:test");
        }
        verify(mauStore, times(1)).lastSeen("@guest:test");
        verify(mauStore, times(1)).count();
    }

    @Test
    void blk5TrialUsersPass() {
        full();
        AuthBlocking trial = new AuthBlocking(ENABLED, new MauConfig(true, 2, false, 7, Map.of(), List.of()), false, "test",
                new MonthlyActiveUsers(mauStore, users, new MauConfig(true, 2, false, 7, Map.of(), List.of()), Clock.systemUTC(),
                        Duration.ZERO, 100),
                users);
        user("@new:test", null, System.currentTimeMillis() / 1000 - 86_400);
        trial.checkUser("@new:test");
        user("@old:test", null, System.currentTimeMillis() / 1000 - 8 * 86_400);
        blocked(() -> trial.checkUser("@old:test"));
    }

    @Test
    void blk5ReservedThreepidIsComparedLowerCased() {
        full();
        blocking(ENABLED, false).checkThreepid(new Threepid("email", "reserved@test.ORG"));
        blocked(() -> blocking(ENABLED, false).checkThreepid(new Threepid("msisdn", "reserved@test.org")));
    }

    @Test
    void blk5RoomLeftLetsEveryoneIn() {
        when(mauStore.count()).thenReturn(1);
        blocking(ENABLED, false).checkUser("@new:test");
        blocking(ENABLED, false).checkNewUser();
    }

    @Test
    @DisplayName("BLK-6: bots are subject to the MAU limit, as registrations and as users")
    void blk6BotsAreSubjectToTheLimit() {
        full();
        blocked(() -> blocking(ENABLED, false).checkUserType("bot"));
        user("@bot:test", "bot", 0);
        blocked(() -> blocking(ENABLED, false).checkUser("@bot:test"));
    }
}
