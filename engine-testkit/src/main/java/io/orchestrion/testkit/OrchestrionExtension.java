package io.orchestrion.testkit;

import io.orchestrion.engine.OrchestrionEngine;
import java.lang.reflect.AnnotatedElement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension: before each test, a fresh {@link TestEngine} (in-memory H2, virtual clock, no
 * worker threads) with the {@link Deploy} resources of the class and the method deployed; after it,
 * the engine is closed and its database dropped. Test and lifecycle methods receive it as a {@link
 * TestEngine}, {@link VirtualClock} or {@link OrchestrionEngine} parameter. Use it with {@link
 * OrchestrionTest} (which also sets the start time and time zone) or
 * {@code @ExtendWith(OrchestrionExtension.class)}.
 */
public final class OrchestrionExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(OrchestrionExtension.class);
  private static final String ENGINE = "engine";

  @Override
  public void beforeEach(ExtensionContext context) {
    engine(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestEngine engine = context.getStore(NAMESPACE).remove(ENGINE, TestEngine.class);
    if (engine != null) {
      engine.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return (type == TestEngine.class
            || type == VirtualClock.class
            || type == OrchestrionEngine.class)
        && context.getTestMethod().isPresent();
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestEngine engine = engine(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == TestEngine.class) {
      return engine;
    }
    if (type == VirtualClock.class) {
      return engine.clock();
    }
    if (type == OrchestrionEngine.class) {
      return engine.engine();
    }
    throw new ParameterResolutionException("not a test kit parameter: " + type);
  }

  /** The test's engine, started (and its definitions deployed) on first use. */
  private static TestEngine engine(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    TestEngine existing = store.get(ENGINE, TestEngine.class);
    if (existing != null) {
      return existing;
    }
    Class<?> testClass = context.getRequiredTestClass();
    // A @Nested class inherits the settings and @Deploy resources of the classes around it.
    List<Class<?>> classes = enclosingFirst(testClass);
    Optional<OrchestrionTest> settings =
        classes.reversed().stream()
            .flatMap(type -> AnnotationSupport.findAnnotation(type, OrchestrionTest.class).stream())
            .findFirst();
    TestEngine.Builder builder = TestEngine.builder().resourcesFrom(testClass.getClassLoader());
    settings.ifPresent(
        test ->
            builder.startingAt(Instant.parse(test.startAt())).timeZone(ZoneId.of(test.timeZone())));
    TestEngine engine = builder.start();
    try {
      List<String> resources = new ArrayList<>();
      classes.forEach(type -> resources.addAll(deployed(type)));
      context.getTestMethod().ifPresent(method -> resources.addAll(deployed(method)));
      engine.deploy(resources.toArray(String[]::new));
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
    store.put(ENGINE, engine);
    return engine;
  }

  /** The test class and the classes it is nested in, outermost first. */
  private static List<Class<?>> enclosingFirst(Class<?> testClass) {
    List<Class<?>> classes = new ArrayList<>();
    for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
      classes.addFirst(type);
      if (java.lang.reflect.Modifier.isStatic(type.getModifiers())) {
        break; // only inner (@Nested) classes inherit from their enclosing class
      }
    }
    return classes;
  }

  private static List<String> deployed(AnnotatedElement element) {
    return AnnotationSupport.findAnnotation(element, Deploy.class)
        .map(deploy -> List.of(deploy.value()))
        .orElse(List.of());
  }
}
