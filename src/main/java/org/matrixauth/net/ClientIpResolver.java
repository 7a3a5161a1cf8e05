package org.matrixauth.net;

import java.util.List;

/**
 * TRK-2: the client's IP is the socket peer, or the first {@code X-Forwarded-For} address when
 * (and only when) the peer is a trusted proxy. A forwarded value that is not an IP address is
 * ignored rather than recorded.
 */
public final class ClientIpResolver {
    private final IpRanges trustedProxies;

    public ClientIpResolver(IpRanges trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /**
     * @param peerAddress the socket peer's address
     * @param forwardedFor every {@code X-Forwarded-For} header value, in order
     */
    public String clientIp(String peerAddress, List<String> forwardedFor) {
        if (forwardedFor.isEmpty() || !trustsForwardedFor(peerAddress)) {
            return peerAddress;
        }
        String first = forwardedFor.get(0).split(",", -1)[0].trim();
        return IpRanges.isAddress(first) ? first : peerAddress;
    }

    /** Whether a request from this peer is read for {@code X-Forwarded-For}: only a trusted proxy's is. */
    public boolean trustsForwardedFor(String peerAddress) {
        return trustedProxies.contains(peerAddress);
    }
}
