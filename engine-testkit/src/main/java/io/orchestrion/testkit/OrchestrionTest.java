package io.orchestrion.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test of the class with a fresh {@link TestEngine} (see {@link OrchestrionExtension}):
 * declare a {@link TestEngine} (or {@link VirtualClock}) parameter to get it.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(OrchestrionExtension.class)
public @interface OrchestrionTest {
  /** Where the virtual clock starts, ISO-8601 ({@link VirtualClock#DEFAULT_START} by default). */
  String startAt() default "2025-01-15T09:30:00Z";

  /** The engine's time zone ({@code $Today}, time conditions). */
  String timeZone() default "UTC";
}
