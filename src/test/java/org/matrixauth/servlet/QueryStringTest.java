package org.matrixauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** EXT-1 and EXT-5: query parameters decoded as Synapse (Python's parse_qs, keeping blanks) does. */
class QueryStringTest {
    @Test
    void ext1DecodesPercentAndPlus() {
        assertEquals(Map.of("user_id", List.of("@bob:test"), "q", List.of("a b+c")),
                QueryString.parse("user_id=%40bob%3Atest&q=a+b%2Bc"));
    }

    @Test
    void ext5KeepsRepeatsInOrderAndBlanks() {
        assertEquals(Map.of("access_token", List.of("one", "two", ""), "flag", List.of("")),
                QueryString.parse("access_token=one&access_token=two&access_token=&flag&&"));
    }

    @Test
    void ext6MalformedEscapesStayAndBadUtf8IsReplaced() {
        assertEquals(List.of("%zz%4"), QueryString.parse("t=%zz%4").get("t"));
        assertEquals(List.of("\ufffd"), QueryString.parse("t=%FF").get("t"));
        assertEquals(List.of("caf\u00e9"), QueryString.parse("t=caf%C3%A9").get("t"));
    }

    @Test
    void emptyOrAbsentQuery() {
        assertEquals(Map.of(), QueryString.parse(null));
        assertEquals(Map.of(), QueryString.parse(""));
    }

    @Test
    void semicolonIsNotASeparator() {
        assertEquals(Map.of("a", List.of("1;b=2")), QueryString.parse("a=1;b=2"));
    }
}
