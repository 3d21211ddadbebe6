package io.orchestrion.engine.architecture.cyclefixture.b;

import io.orchestrion.engine.architecture.cyclefixture.a.A;

/** The other half of a deliberate package cycle, for PackageRulesTest. */
public final class B {
  private B() {}

  public static Class<?> partner() {
    return A.class;
  }
}
