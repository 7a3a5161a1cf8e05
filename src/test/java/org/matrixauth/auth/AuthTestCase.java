package org.matrixauth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import com.github.nitram509.jmacaroons.MacaroonsBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.matrixauth.appservice.AppServiceRegistry;
import org.matrixauth.appservice.ApplicationService;
import org.matrixauth.appservice.Namespace;
import org.matrixauth.config.BlockingConfig;
import org.matrixauth.config.FailedTokenChecksConfig;
import org.matrixauth.config.MauConfig;
import org.matrixauth.error.MatrixException;
import org.matrixauth.macaroon.GuestMacaroonVerifier;
import org.matrixauth.ratelimit.FailedTokenChecks;
import org.matrixauth.account.Threepid;
import org.matrixauth.store.TokenLookup;
import org.matrixauth.testing.TestAppServices;
import org.matrixauth.token.AccessTokenExtractor;
import org.matrixauth.tracking.MauRecorder;
import org.matrixauth.tracking.MonthlyActiveUsers;


/**
 * The seed file's {@code AuthTestCase} (Synapse's tests/api/test_auth.py), one JUnit method per
 * {@code test_…}, named after it in camelCase, same scenario, same assertions. It runs twice:
 * on a mocked store as the seed does ({@link AuthTest}) and on real rows in H2 ({@link AuthH2Test}).
 */
abstract class AuthTestCase {
    static final String SERVER_NAME = "test";
    static final String MACAROON_SECRET_KEY = "seed-macaroon-secret";
    static final String ADMIN_CONTACT = "mailto:admin@test";
    final Clock clock = Clock.systemUTC();
    final String testUser = "@foo:bar";
    final String testToken = "_test_token_";

    SeedFixture store;

    abstract SeedFixture createFixture();

    @BeforeEach
    void prepare() {
        store = createFixture();
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
    }

    /** The seed's {@code self.auth}: the token kinds in SPEC order, nothing blocking, tracking as the test sets it. */
    private RequesterResolver auth(List<ApplicationService> appServices, boolean msc3202DeviceMasquerading,
                                   boolean trackPuppetedUserIps) {
        GuestMacaroonAuthenticator guests = new GuestMacaroonAuthenticator(new GuestMacaroonVerifier(MACAROON_SECRET_KEY, clock), store.users(),
                Duration.ofSeconds(1), 1000, clock);
        return new RequesterResolver(
                new AccessTokenExtractor(true),
                List.of(new AppServiceAuthenticator(new AppServiceRegistry(appServices), store.users(), store.devices(),
                                msc3202DeviceMasquerading),
                        new AccessTokenAuthenticator(store.tokens(), new TokenUseMarks(store.tokens(), 100), guests::isRecentlyVerified),
                        guests),
                new RequestPolicy(store.users(), authBlocking(NOT_DISABLED, MauConfig.OFF, false), false, clock),
                new RequestRecorder(store.clientIps(), new MauRecorder(monthlyActiveUsers(MauConfig.OFF), 10), trackPuppetedUserIps,
                        false, clock),
                new FailedTokenChecks(new FailedTokenChecksConfig(5, 50, 5), clock));
    }

    private RequesterResolver auth(List<ApplicationService> appServices, boolean msc3202DeviceMasquerading) {
        return auth(appServices, msc3202DeviceMasquerading, false);
    }

    private RequesterResolver auth() {
        return auth(List.of(), false);
    }

    /** The seed's {@code self.auth_blocking} with its private fields set as each test sets them. */
    private AuthBlocking authBlocking(BlockingConfig blocking, MauConfig mau, boolean trackAppserviceUserIps) {
        return new AuthBlocking(blocking, mau, trackAppserviceUserIps, SERVER_NAME, monthlyActiveUsers(mau), store.users());
    }

    /** No staleness: the seed changes the store's answers between calls, as another process would. */
    private MonthlyActiveUsers monthlyActiveUsers(MauConfig mau) {
        return new MonthlyActiveUsers(store.monthlyActiveUsers(), store.users(), mau, clock, Duration.ZERO, 100);
    }

    private static MauConfig mauLimit(boolean limitUsageByMau, int maxMauValue, List<Threepid> reservedThreepids) {
        return new MauConfig(limitUsageByMau, maxMauValue, false, 0, Map.of(), reservedThreepids);
    }

    private static BlockingConfig hsDisabled(String serverNoticesMxid) {
        return new BlockingConfig(true, "Reason for being disabled", ADMIN_CONTACT, serverNoticesMxid);
    }

    private static final BlockingConfig NOT_DISABLED = new BlockingConfig(false, "", ADMIN_CONTACT, null);

    /** The seed's {@code ApplicationService("abcd", server_name, id="1234", …)} and its requester. */
    private Requester appserviceRequester() {
        ApplicationService appservice = new ApplicationService("1234", "abcd", "hs", null, "@appservice:sender",
                List.of(new Namespace(Pattern.compile("@_appservice.*:sender"), true)), List.of(), List.of(), true,
                List.of(), Optional.empty());
        return Requester.appService(appservice, "@appservice:server").deviceId("FOOBAR").build();
    }

    private static void assertResourceLimitExceeded(MatrixException e) {
        assertEquals(ADMIN_CONTACT, e.extraFields().get("admin_contact"));
        assertEquals("M_RESOURCE_LIMIT_EXCEEDED", e.errcode());
        assertEquals(403, e.status());
    }

    /** The seed's {@code Mock(token=…, url="a_url", sender=self.test_user, ip_range_whitelist=…)}. */
    private ApplicationService appService(String token, List<String> interestedIn, List<String> ipRangeWhitelist) {
        return TestAppServices.appService(token, testUser, interestedIn, ipRangeWhitelist);
    }

    /** A request with no Authorization header, these query args and this client IP. */
    private static ClientRequest request(String clientIp, String... args) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            query.put(args[i], List.of(args[i + 1]));
        }
        return new ClientRequest(List.of(), query, clientIp, null);
    }

    private static TokenLookup tokenLookup(String userId, Long tokenId, String deviceId, String tokenOwner) {
        return new TokenLookup(userId, tokenOwner, tokenId, deviceId, null, false, false, false, false, false, false);
    }

    private static String macaroon(String userId, boolean guest) {
        MacaroonsBuilder builder = new MacaroonsBuilder(SERVER_NAME, MACAROON_SECRET_KEY, "key")
                .add_first_party_caveat("gen = 1")
                .add_first_party_caveat("type = access")
                .add_first_party_caveat("user_id = " + userId);
        if (guest) {
            builder.add_first_party_caveat("guest = true");
        }
        return builder.getMacaroon().serialize();
    }

    @Test
    void getUserByReqUserValidToken() {
        store.givenToken(testToken, tokenLookup(testUser, 5L, "device", testUser));
        Requester requester = auth().resolve(request("127.0.0.1", "access_token", testToken), AuthOptions.STRICT);
        assertEquals(testUser, requester.userId());
    }

    @Test
    void getUserByReqUserBadToken() {
        MatrixException f = assertThrows(MatrixException.class,
                () -> auth().resolve(request("127.0.0.1", "access_token", testToken), AuthOptions.STRICT));
        assertEquals(401, f.status());
        assertEquals("M_UNKNOWN_TOKEN", f.errcode());
    }

    @Test
    void getUserByReqUserMissingToken() {
        store.givenToken(testToken, tokenLookup(testUser, 5L, null, testUser));
        MatrixException f = assertThrows(MatrixException.class,
                () -> auth().resolve(request("127.0.0.1"), AuthOptions.STRICT));
        assertEquals(401, f.status());
        assertEquals("M_MISSING_TOKEN", f.errcode());
    }

    @Test
    void getUserByReqAppserviceValidToken() {
        RequesterResolver auth = auth(List.of(appService(testToken, List.of(), List.of())), false);
        Requester requester = auth.resolve(request("127.0.0.1", "access_token", testToken), AuthOptions.STRICT);
        assertEquals(testUser, requester.userId());
    }

    @Test
    void getUserByReqAppserviceValidTokenGoodIp() {
        RequesterResolver auth = auth(List.of(appService(testToken, List.of(), List.of("192.168/16"))), false);
        Requester requester = auth.resolve(request("192.168.10.10", "access_token", testToken), AuthOptions.STRICT);
        assertEquals(testUser, requester.userId());
    }

    @Test
    void getUserByReqAppserviceValidTokenBadIp() {
        RequesterResolver auth = auth(List.of(appService(testToken, List.of(), List.of("192.168/16"))), false);
        MatrixException f = assertThrows(MatrixException.class,
                () -> auth.resolve(request("131.111.8.42", "access_token", testToken), AuthOptions.STRICT));
        assertEquals(401, f.status());
        assertEquals("M_UNKNOWN_TOKEN", f.errcode());
    }

    @Test
    void getUserByReqAppserviceBadToken() {
        RequesterResolver auth = auth(List.of(appService("foobar", List.of(), List.of())), false);
        MatrixException f = assertThrows(MatrixException.class,
                () -> auth.resolve(request("127.0.0.1", "access_token", testToken), AuthOptions.STRICT));
        assertEquals(401, f.status());
        assertEquals("M_UNKNOWN_TOKEN", f.errcode());
    }

    @Test
    void getUserByReqAppserviceMissingToken() {
        RequesterResolver auth = auth(List.of(appService("foobar", List.of(), List.of())), false);
        MatrixException f = assertThrows(MatrixException.class,
                () -> auth.resolve(request("127.0.0.1"), AuthOptions.STRICT));
        assertEquals(401, f.status());
        assertEquals("M_MISSING_TOKEN", f.errcode());
    }

    @Test
    void getUserByReqAppserviceValidTokenValidUserId() {
        String masqueradingUserId = "@doppelganger:matrix.org";
        RequesterResolver auth = auth(List.of(appService(testToken, List.of("@doppelganger:.*"), List.of())), false);
        store.givenUser(masqueradingUserId, false);
        Requester requester = auth.resolve(
                request("127.0.0.1", "access_token", testToken, "user_id", masqueradingUserId), AuthOptions.STRICT);
        assertEquals(masqueradingUserId, requester.userId());
    }

    @Test
    void getUserByReqAppserviceValidTokenBadUserId() {
        String masqueradingUserId = "@doppelganger:matrix.org";
        RequesterResolver auth = auth(List.of(appService(testToken, List.of("@_irc_.*"), List.of())), false);
        MatrixException f = assertThrows(MatrixException.class, () -> auth.resolve(
                request("127.0.0.1", "access_token", testToken, "user_id", masqueradingUserId), AuthOptions.STRICT));
        assertEquals(403, f.status());
        assertEquals("M_FORBIDDEN", f.errcode());
    }

    /**
     * Tests that when an application service passes the device_id URL parameter with the ID of a
     * valid device for the user in question, the requester instance tracks that device ID.
     */
    @Test
    void getUserByReqAppserviceValidTokenValidDeviceId() {
        String masqueradingUserId = "@doppelganger:matrix.org";
        String masqueradingDeviceId = "DOPPELDEVICE";
        RequesterResolver auth = auth(List.of(appService(testToken, List.of("@doppelganger:.*"), List.of())), true);
        store.givenUser(masqueradingUserId, false);
        store.givenDevice(masqueradingUserId, masqueradingDeviceId);
        Requester requester = auth.resolve(request("127.0.0.1", "access_token", testToken,
                "user_id", masqueradingUserId, "org.matrix.msc3202.device_id", masqueradingDeviceId), AuthOptions.STRICT);
        assertEquals(masqueradingUserId, requester.userId());
        assertEquals(masqueradingDeviceId, requester.deviceId());
    }

    /**
     * Tests that when an application service passes the device_id URL parameter with an ID that
     * is not a valid device ID for the user in question, the request fails with the appropriate
     * error code.
     */
    @Test
    void getUserByReqAppserviceValidTokenInvalidDeviceId() {
        String masqueradingUserId = "@doppelganger:matrix.org";
        String masqueradingDeviceId = "NOT_A_REAL_DEVICE_ID";
        RequesterResolver auth = auth(List.of(appService(testToken, List.of("@doppelganger:.*"), List.of())), true);
        store.givenUser(masqueradingUserId, false);
        MatrixException failure = assertThrows(MatrixException.class, () -> auth.resolve(request("127.0.0.1",
                "access_token", testToken, "user_id", masqueradingUserId,
                "org.matrix.msc3202.device_id", masqueradingDeviceId), AuthOptions.STRICT));
        assertEquals(400, failure.status());
        assertEquals("M_EXCLUSIVE", failure.errcode());
    }

    @Test
    void getUserFromMacaroon() {
        String userId = "@baldrick:matrix.org";
        String serialized = macaroon(userId, false);
        store.givenToken(serialized, tokenLookup(userId, 7L, "device", userId));
        Requester userInfo = auth().resolve(request("127.0.0.1", "access_token", serialized), AuthOptions.STRICT);
        assertEquals(userId, userInfo.userId());
        // As in the seed: the device comes from the database row, not from the macaroon.
        assertEquals("device", userInfo.deviceId());
    }

    @Test
    void getGuestUserFromMacaroon() {
        String userId = "@baldrick:matrix.org";
        store.givenUser(userId, true);
        String serialized = macaroon(userId, true);
        Requester userInfo = auth().resolve(request("127.0.0.1", "access_token", serialized),
                AuthOptions.STRICT.allowingGuests());
        assertEquals(userId, userInfo.userId());
        assertTrue(userInfo.isGuest());
        verify(store.users()).findUser(userId);
    }

    @Test
    void getUserByReqPuppetedTokenNotTrackingPuppetedMau() {
        store.givenToken(testToken, tokenLookup("@baldrick:matrix.org", 8L, "device", "@admin:matrix.org"));
        auth(List.of(), false, false).resolve(request("127.0.0.1", "access_token", testToken), AuthOptions.STRICT);
        verify(store.clientIps(), times(1)).record(anyString(), anyString(), anyString(), anyString(), any(), anyLong());
    }

    @Test
    void getUserByReqPuppetedTokenTrackingPuppetedMau() {
        store.givenToken(testToken, tokenLookup("@baldrick:matrix.org", 8L, "device", "@admin:matrix.org"));
        auth(List.of(), false, true).resolve(request("127.0.0.1", "access_token", testToken), AuthOptions.STRICT);
        verify(store.clientIps(), times(2)).record(anyString(), anyString(), anyString(), anyString(), any(), anyLong());
    }

    @Test
    void blockingMau() {
        int lotsOfUsers = 100;
        int smallNumberOfUsers = 1;

        // Ensure no error thrown
        authBlocking(NOT_DISABLED, mauLimit(false, 50, List.of()), false).checkNewUser();

        AuthBlocking limiting = authBlocking(NOT_DISABLED, mauLimit(true, 50, List.of()), false);
        store.givenMonthlyActiveCount(lotsOfUsers);
        MatrixException e = assertThrows(MatrixException.class, () -> limiting.checkNewUser());
        assertResourceLimitExceeded(e);

        // Ensure does not throw an error
        store.givenMonthlyActiveCount(smallNumberOfUsers);
        limiting.checkNewUser();
    }

    @Test
    void blockingMauDependingOnUserType() {
        AuthBlocking limiting = authBlocking(NOT_DISABLED, mauLimit(true, 50, List.of()), false);
        store.givenMonthlyActiveCount(100);
        // Support users allowed
        limiting.checkUserType("support");
        // Bots not allowed
        assertThrows(MatrixException.class, () -> limiting.checkUserType("bot"));
        // Real users not allowed
        assertThrows(MatrixException.class, () -> limiting.checkNewUser());
    }

    @Test
    void blockingMauAppserviceRequesterAllowedWhenNotTrackingIps() {
        store.givenMonthlyActiveCount(100);
        authBlocking(NOT_DISABLED, mauLimit(true, 50, List.of()), false).check(appserviceRequester());
    }

    @Test
    void blockingMauAppserviceRequesterDisallowedWhenTrackingIps() {
        store.givenMonthlyActiveCount(100);
        AuthBlocking tracking = authBlocking(NOT_DISABLED, mauLimit(true, 50, List.of()), true);
        assertThrows(MatrixException.class, () -> tracking.check(appserviceRequester()));
    }

    @Test
    void reservedThreepid() {
        store.givenMonthlyActiveCount(2);
        Threepid threepid = new Threepid("email", "reserved@server.com");
        Threepid unknownThreepid = new Threepid("email", "unreserved@server.com");
        AuthBlocking limiting = authBlocking(NOT_DISABLED, mauLimit(true, 1, List.of(threepid)), false);

        assertThrows(MatrixException.class, () -> limiting.checkNewUser());
        assertThrows(MatrixException.class, () -> limiting.checkThreepid(unknownThreepid));
        limiting.checkThreepid(threepid);
    }

    @Test
    void hsDisabled() {
        AuthBlocking disabled = authBlocking(hsDisabled(null), MauConfig.OFF, false);
        MatrixException e = assertThrows(MatrixException.class, () -> disabled.checkNewUser());
        assertResourceLimitExceeded(e);
    }

    /** Check that 'hs_disabled_message' works correctly when there is no server_notices user. */
    @Test
    void hsDisabledNoServerNoticesUser() {
        // this should be the default, but we had a bug where the test was doing the wrong
        // thing, so let's make it explicit
        AuthBlocking disabled = authBlocking(hsDisabled(null), MauConfig.OFF, false);
        MatrixException e = assertThrows(MatrixException.class, () -> disabled.checkNewUser());
        assertResourceLimitExceeded(e);
        assertEquals("Reason for being disabled", e.error());
    }

    @Test
    void serverNoticesMxidSpecialCased() {
        String user = "@user:server";
        authBlocking(hsDisabled(user), MauConfig.OFF, false).checkUser(user);
    }
}
