package io.orchestrion.engine.architecture.cyclefixture.a;

import io.orchestrion.engine.architecture.cyclefixture.b.B;

/** Half of a deliberate package cycle, for PackageRulesTest. */
public final class A {
  private A() {}

  public static Class<?> partner() {
    return B.class;
  }
}
