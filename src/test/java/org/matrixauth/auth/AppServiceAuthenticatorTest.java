package org.matrixauth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.matrixauth.appservice.AppServiceRegistry;
import org.matrixauth.appservice.ApplicationService;
import org.matrixauth.error.MatrixException;
import org.matrixauth.store.DeviceStore;
import org.matrixauth.account.UserRecord;
import org.matrixauth.store.UserStore;
import org.matrixauth.testing.TestAppServices;

/** AS-1..6 beyond the seed's cases, on mocked stores. */
class AppServiceAuthenticatorTest {
    static final String SENDER = "@_irc_bot:test";
    static final String BOB = "@_irc_bob:test";

    /** An appservice's token is checked in memory, so FLOOD never limits it: the kind never asks. */
    private static final CostlyCheckLimit IN_MEMORY = () -> fail("an appservice token costs no limited check");

    private final UserStore users = mock(UserStore.class);
    private final DeviceStore devices = mock(DeviceStore.class);
    private final ApplicationService irc = TestAppServices.appService("as_token", SENDER, List.of("@_irc_.*"), List.of());

    private AppServiceAuthenticator authenticator(boolean msc3202) {
        return new AppServiceAuthenticator(new AppServiceRegistry(List.of(irc)), users, devices, msc3202);
    }

    private static ClientRequest request(String... args) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            query.put(args[i], List.of(args[i + 1]));
        }
        return new ClientRequest(List.of(), query, "127.0.0.1", null);
    }

    private void registered(String userId) {
        when(users.findUser(userId)).thenReturn(Optional.of(new UserRecord(userId, false, false, false, false, false, null, "irc", 0)));
    }

    @Test
    void as1UnknownTokenIsNotAnAppService() {
        assertEquals(Optional.empty(), authenticator(false).authenticate("user_token", request(), IN_MEMORY));
    }

    @Test
    void as3AndAs6SenderWithoutUserId() {
        Requester requester = authenticator(false).authenticate("as_token", request(), IN_MEMORY).orElseThrow();
        assertEquals(SENDER, requester.userId());
        assertSame(irc, requester.appService());
        assertNull(requester.accessTokenId());
        assertNull(requester.deviceId());
        assertFalse(requester.isGuest());
        assertEquals(SENDER, requester.authenticatedEntity());
        verify(users, never()).findUser(anyString());
    }

    @Test
    void as4UserIdEqualToSenderNeedsNoLookup() {
        assertEquals(SENDER, authenticator(false).authenticate("as_token", request("user_id", SENDER), IN_MEMORY).orElseThrow().userId());
        verify(users, never()).findUser(anyString());
    }

    @Test
    void as4AndAs6MasqueradedUserIsTheAuthenticatedEntity() {
        registered(BOB);
        Requester requester = authenticator(false).authenticate("as_token", request("user_id", BOB), IN_MEMORY).orElseThrow();
        assertEquals(BOB, requester.userId());
        assertEquals(BOB, requester.authenticatedEntity());
    }

    @Test
    void as4OutsideTheNamespace() {
        MatrixException e = assertThrows(MatrixException.class,
                () -> authenticator(false).authenticate("as_token", request("user_id", "@alice:test"), IN_MEMORY));
        assertEquals(403, e.status());
        assertEquals("M_FORBIDDEN", e.errcode());
        assertEquals("Application service cannot masquerade as this user (@alice:test).", e.error());
    }

    @Test
    void as4NotRegistered() {
        MatrixException e = assertThrows(MatrixException.class,
                () -> authenticator(false).authenticate("as_token", request("user_id", BOB), IN_MEMORY));
        assertEquals(403, e.status());
        assertEquals("M_FORBIDDEN", e.errcode());
        assertEquals("Application service has not registered this user (" + BOB + ")", e.error());
    }

    @Test
    void as5StableDeviceIdIsAlwaysOn() {
        registered(BOB);
        when(devices.deviceExists(BOB, "BOBDEV")).thenReturn(true);
        Requester requester = authenticator(false).authenticate("as_token", request("user_id", BOB, "device_id", "BOBDEV"), IN_MEMORY)
                .orElseThrow();
        assertEquals("BOBDEV", requester.deviceId());
    }

    @Test
    void as5StableUnknownDeviceIsM_UNKNOWN_DEVICE() {
        registered(BOB);
        MatrixException e = assertThrows(MatrixException.class,
                () -> authenticator(true).authenticate("as_token", request("user_id", BOB, "device_id", "NOPE"), IN_MEMORY));
        assertEquals(400, e.status());
        assertEquals("M_UNKNOWN_DEVICE", e.errcode());
    }

    @Test
    void as5StableDeviceIdWinsOverMsc3202() {
        registered(BOB);
        when(devices.deviceExists(BOB, "BOBDEV")).thenReturn(true);
        Requester requester = authenticator(true).authenticate("as_token",
                request("user_id", BOB, "device_id", "BOBDEV", "org.matrix.msc3202.device_id", "OTHER"), IN_MEMORY).orElseThrow();
        assertEquals("BOBDEV", requester.deviceId());
    }

    @Test
    void as5bMsc3202ParameterIsIgnoredWhenTheOptionIsOff() {
        registered(BOB);
        Requester requester = authenticator(false).authenticate("as_token",
                request("user_id", BOB, "org.matrix.msc3202.device_id", "NOPE"), IN_MEMORY).orElseThrow();
        assertNull(requester.deviceId());
        verify(devices, never()).deviceExists(anyString(), anyString());
    }

    @Test
    void as5DeviceOfTheSenderWithoutUserId() {
        when(devices.deviceExists(SENDER, "BOTDEV")).thenReturn(true);
        Requester requester = authenticator(false).authenticate("as_token", request("device_id", "BOTDEV"), IN_MEMORY).orElseThrow();
        assertEquals(SENDER, requester.userId());
        assertEquals("BOTDEV", requester.deviceId());
        assertTrue(requester.isAppService());
    }

    @Test
    void as4AndAs5IdsWithNulNameNobodyAndAreNotLookedUp() {
        // PostgreSQL refuses a NUL in a query parameter: asking would answer 500 instead of the Matrix error.
        MatrixException user = assertThrows(MatrixException.class,
                () -> authenticator(false).authenticate("as_token", request("user_id", "@_irc_x\0:test"), IN_MEMORY));
        assertEquals(403, user.status());
        registered(BOB);
        MatrixException device = assertThrows(MatrixException.class,
                () -> authenticator(false).authenticate("as_token", request("user_id", BOB, "device_id", "DEV\0"), IN_MEMORY));
        assertEquals("M_UNKNOWN_DEVICE", device.errcode());
        verify(users, never()).findUser("@_irc_x\0:test");
        verify(devices, never()).deviceExists(anyString(), anyString());
    }
}
