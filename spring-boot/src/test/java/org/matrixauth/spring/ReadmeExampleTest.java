package org.matrixauth.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's Spring Boot application and its application.yaml are the tests' own (the application the whoami
 * matrix runs), word for word, so the example the reader copies is the one that was run.
 */
class ReadmeExampleTest {
    private static final Path README = Path.of("../README.md");

    @Test
    void theReadmesApplicationIsTheTestedOne() throws IOException {
        String application = Files.readString(Path.of("src/test/java/org/matrixauth/spring/example/WhoamiApplication.java"));
        assertEquals(application, block("java", "@SpringBootApplication"));
        assertTrue(application.lines().count() <= 30, "the example stays within 30 lines");
    }

    @Test
    void theReadmesApplicationYamlIsTheTestedOne() throws IOException {
        assertEquals(Files.readString(Path.of("src/test/resources/application.yaml")), block("yaml", "matrix:\n  auth:"));
    }

    /** The README's fenced block of this language that holds the text, in its Spring Boot section. */
    private static String block(String language, String holding) throws IOException {
        String readme = Files.readString(README);
        String section = readme.substring(readme.indexOf("## Spring Boot"));
        Matcher blocks = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (blocks.find()) {
            if (blocks.group(1).contains(holding)) {
                return blocks.group(1);
            }
        }
        throw new AssertionError("README.md's Spring Boot section has no " + language + " block with " + holding);
    }
}
