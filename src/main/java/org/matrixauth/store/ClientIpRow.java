package org.matrixauth.store;

/** One row of Synapse's {@code user_ips}: who used which token from where, and when last. */
public record ClientIpRow(String userId, String accessToken, String ip, String userAgent, String deviceId, long lastSeen) {
    @Override
    public String toString() {
        // Never print the token.
        return "ClientIpRow[" + userId + ", " + ip + ", " + deviceId + ", " + lastSeen + "]";
    }
}
