package org.matrixauth.example;

/**
 * {@code /_synapse/mas/*}: the provisioning API the authorization server (MAS) calls with the
 * shared secret ({@link MasUsers}, {@link MasDevices}). The filter admits only the secret there
 * (web.xml's {@code mas} rules, OAU-10); without delegation Synapse mounts none of it, and the
 * filter and this servlet answer 404 M_UNRECOGNIZED.
 */
public class MasProvisioningServlet extends MatrixServlet {
    public MasProvisioningServlet() {
        super(RouteTable.MAS_PROVISIONING);
    }
}
