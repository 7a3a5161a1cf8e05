package org.matrixauth.store;

/** Writes to Synapse's tables that end or change what a token may do. */
public interface AccountStore {
    /** @return the deleted row's id, or -1 when there was none */
    long deleteToken(String token);

    void deleteTokenById(long tokenId);

    /** Deletes the device and the tokens issued for it. */
    void deleteDevice(String userId, String deviceId);

    /** Deletes every token issued to the user (not puppet tokens others hold for them) and every device. */
    void deleteTokensAndDevices(String userId);

    void setLocked(String userId, boolean locked);

    void setShadowBanned(String userId, boolean shadowBanned);

    void setAdmin(String userId, boolean admin);

    void setUserType(String userId, String userType);

    /** Marks the user deactivated and deletes their tokens and devices, as Synapse's deactivation does. */
    void deactivate(String userId);

    /** Marks the user active again. */
    void reactivate(String userId);
}
