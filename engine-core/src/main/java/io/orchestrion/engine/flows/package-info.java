/** Flow versions as the engine sees them: stored, compiled and cached. Non-null by default. */
package io.orchestrion.engine.flows;
