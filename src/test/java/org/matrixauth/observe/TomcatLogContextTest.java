package org.matrixauth.observe;

import org.matrixauth.testing.ServletContainer;

/** OBS-1 on embedded Tomcat. */
class TomcatLogContextTest extends LogContextContract {
    @Override
    ServletContainer container() {
        return ServletContainer.TOMCAT;
    }
}
