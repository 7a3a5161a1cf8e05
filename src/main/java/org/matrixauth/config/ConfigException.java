package org.matrixauth.config;

import org.matrixauth.api.PublicApi;

/** A configuration that cannot be used; the message names the key (or the file and field). */
@PublicApi
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
