package org.matrixauth.observe;

import org.matrixauth.testing.ServletContainer;

/** OBS-1 on embedded Jetty. */
class JettyLogContextTest extends LogContextContract {
    @Override
    ServletContainer container() {
        return ServletContainer.JETTY;
    }
}
