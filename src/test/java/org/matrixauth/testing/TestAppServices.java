package org.matrixauth.testing;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.matrixauth.appservice.ApplicationService;
import org.matrixauth.net.IpRanges;
import org.matrixauth.appservice.Namespace;

/** Application services built in code, for tests that are not about registration files. */
public final class TestAppServices {
    private TestAppServices() {}

    public static ApplicationService appService(String asToken, String sender, List<String> userRegexes, List<String> ipRanges) {
        return new ApplicationService(
                "as-" + asToken,
                asToken,
                "hs-" + asToken,
                "a_url",
                sender,
                userRegexes.stream().map(regex -> new Namespace(Pattern.compile(regex), true)).toList(),
                List.of(),
                List.of(),
                true,
                List.of(),
                ipRanges.isEmpty() ? Optional.empty() : Optional.of(IpRanges.parse(ipRanges)));
    }
}
