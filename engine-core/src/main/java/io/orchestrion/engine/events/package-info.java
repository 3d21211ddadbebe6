/** Non-null by default: parameters, return values and record components. */
package io.orchestrion.engine.events;
