package org.matrixauth;

import org.matrixauth.api.PublicApi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.matrixauth.metrics.MatrixAuthMeterBinder;

/**
 * The public API is the {@link PublicApi} types, and they expose nothing internal: every type in
 * the signature of a public member is the JDK's, the Servlet API's, one of the library types
 * named below, or another {@link PublicApi} type. No JDBI, pool or cache type can leak to a homeserver.
 */
class PublicApiTest {
    /**
     * Beside the JDK and the Servlet API: the registry a Prometheus exporter serves, and the
     * Micrometer registry {@code MatrixAuthMeterBinder} binds to.
     */
    private static final List<String> ALLOWED_PREFIXES = List.of("java.", "javax.sql.", "jakarta.servlet.",
            "io.prometheus.metrics.model.registry.PrometheusRegistry", "io.micrometer.core.instrument.MeterRegistry");
    private static final JavaClasses LIBRARY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.matrixauth");

    @Test
    void publicApiTypesExposeOnlyPublicApiTypes() {
        Set<String> leaks = new TreeSet<>();
        for (JavaClass type : LIBRARY) {
            if (!isPublicApi(type)) {
                continue;
            }
            exposedMembers(type).forEach(member -> member.involvedTypes().stream()
                    .filter(exposed -> !allowed(exposed))
                    .forEach(exposed -> leaks.add(member.name() + " exposes " + exposed.getName())));
        }
        assertEquals(Set.of(), leaks);
    }

    @Test
    void publicApiTypesAreFound() {
        // A guard for the rule above: it must have public API types to look at.
        assertFalse(LIBRARY.stream().filter(PublicApiTest::isPublicApi).toList().isEmpty());
    }

    /**
     * micrometer-core is an optional dependency: a homeserver without it must be able to load and
     * run everything but the binder, so no other class may refer to Micrometer.
     */
    @Test
    void onlyTheMeterBinderUsesMicrometer() {
        Set<String> users = new TreeSet<>();
        for (JavaClass type : LIBRARY) {
            type.getDirectDependenciesFromSelf().stream()
                    .filter(dependency -> dependency.getTargetClass().getName().startsWith("io.micrometer."))
                    .forEach(dependency -> users.add(outermost(type).getName()));
        }
        assertEquals(Set.of(MatrixAuthMeterBinder.class.getName()), users);
    }

    private static JavaClass outermost(JavaClass type) {
        JavaClass current = type;
        while (current.getEnclosingClass().isPresent()) {
            current = current.getEnclosingClass().get();
        }
        return current;
    }

    /**
     * A public type marked itself, or nested in one that is (a builder, an enum of a record), and
     * public all the way out: a private helper nested in a public API type is not reachable.
     */
    static boolean isPublicApi(JavaClass type) {
        for (JavaClass current = type; current != null; current = current.getEnclosingClass().orElse(null)) {
            if (!current.getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
            if (current.isAnnotatedWith(PublicApi.class)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allowed(JavaClass type) {
        JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
        return base.isPrimitive() || isPublicApi(base) || ALLOWED_PREFIXES.stream().anyMatch(base.getName()::startsWith);
    }

    private static Stream<Member> exposedMembers(JavaClass type) {
        Stream<Member> codeUnits = type.getCodeUnits().stream()
                .filter(PublicApiTest::isExposed)
                .map(unit -> new Member(type.getSimpleName() + "." + unit.getName(), involved(unit)));
        Stream<Member> fields = type.getFields().stream()
                .filter(field -> field.getModifiers().contains(JavaModifier.PUBLIC))
                .map(field -> new Member(type.getSimpleName() + "." + field.getName(), involved(field)));
        return Stream.concat(codeUnits, fields);
    }

    private static boolean isExposed(JavaCodeUnit unit) {
        Set<JavaModifier> modifiers = unit.getModifiers();
        return (modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED))
                && !modifiers.contains(JavaModifier.SYNTHETIC) && !modifiers.contains(JavaModifier.BRIDGE);
    }

    private static Set<JavaClass> involved(JavaCodeUnit unit) {
        Set<JavaClass> types = new java.util.HashSet<>(unit.getReturnType().getAllInvolvedRawTypes());
        unit.getParameterTypes().forEach(parameter -> types.addAll(parameter.getAllInvolvedRawTypes()));
        unit.getThrowsClause().getTypes().forEach(thrown -> types.add(thrown));
        return types;
    }

    private static Set<JavaClass> involved(JavaField field) {
        return field.getType().getAllInvolvedRawTypes();
    }

    private record Member(String name, Set<JavaClass> involvedTypes) {}
}
