package org.matrixauth.account;

import java.util.Locale;
import org.matrixauth.api.PublicApi;

/** A third-party identifier (an email address, a phone number) as Synapse stores it. */
@PublicApi
public record Threepid(String medium, String address) {

    /** MAU-3: email addresses are compared lower-cased. */
    public Threepid normalised() {
        return medium.equals("email") ? new Threepid(medium, address.toLowerCase(Locale.ROOT)) : this;
    }
}
