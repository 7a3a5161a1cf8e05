package org.matrixauth.tracking;

/** Where the filter tells of each authenticated use of a token (Synapse's {@code insert_client_ip}). */
public interface ClientIpRecorder {
    /**
     * Must not do I/O (TRK-3).
     *
     * @param userAgent "" when absent
     * @param deviceId null when the token has no device
     * @param seenAtMs the request's time (epoch milliseconds), read once per request
     */
    void record(String userId, String accessToken, String ip, String userAgent, String deviceId, long seenAtMs);
}
