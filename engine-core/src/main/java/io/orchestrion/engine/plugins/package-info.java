/** Plugin loading and the registries of condition types and actions. Non-null by default. */
package io.orchestrion.engine.plugins;
