package io.orchestrion.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Class-path resources {@link OrchestrionExtension} deploys and activates before each test: on the
 * test class (for every test), on a test method (for that test, after the class's). Each resource
 * is an object type (JSON with {@code fields}), a flow ({@code elements}) or an orchestration
 * ({@code stages}); whatever the order given, object types are defined first, then flows, then
 * orchestrations. Paths are absolute on the class path ({@code "approvals/expense.object.json"}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Deploy {
  String[] value();
}
