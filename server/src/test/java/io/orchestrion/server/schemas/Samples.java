package io.orchestrion.server.schemas;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sample non-null values of definition types, to probe which components a record requires. */
final class Samples {
  private Samples() {}

  static Object of(Type type) {
    if (type instanceof ParameterizedType parameterized) {
      Class<?> raw = (Class<?>) parameterized.getRawType();
      if (raw == Optional.class) {
        return Optional.empty();
      }
      if (Collection.class.isAssignableFrom(raw)) {
        return List.of();
      }
      if (Map.class.isAssignableFrom(raw)) {
        return Map.of();
      }
      throw new IllegalArgumentException("no sample of " + type);
    }
    Class<?> raw = (Class<?>) type;
    if (raw == String.class) {
      return "Sample";
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return Boolean.FALSE;
    }
    if (raw == Integer.class || raw == int.class) {
      return 1;
    }
    if (raw == Long.class || raw == long.class) {
      return 1L;
    }
    if (raw == BigDecimal.class) {
      return BigDecimal.ONE;
    }
    if (raw == Double.class || raw == double.class) {
      return 1.0;
    }
    if (raw == Object.class) {
      return "sample";
    }
    if (raw.isEnum()) {
      return raw.getEnumConstants()[0];
    }
    if (raw.isSealed()) {
      return of(raw.getPermittedSubclasses()[0]);
    }
    if (raw.isRecord()) {
      RecordComponent[] components = raw.getRecordComponents();
      Class<?>[] types = new Class<?>[components.length];
      Object[] values = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        values[i] = of(components[i].getGenericType());
      }
      try {
        Constructor<?> constructor = raw.getDeclaredConstructor(types);
        constructor.setAccessible(true);
        return constructor.newInstance(values);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot build a sample " + raw.getName(), e);
      }
    }
    throw new IllegalArgumentException("no sample of " + type);
  }
}
