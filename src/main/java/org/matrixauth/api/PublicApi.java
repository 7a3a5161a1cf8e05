package org.matrixauth.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the types a homeserver may use: they keep their shape across releases, and nothing they
 * expose is internal (no JDBI, pool or cache type). Every other type is the library's own, public
 * only because Java packages need it; {@code PublicApiTest} holds both rules.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PublicApi {}
