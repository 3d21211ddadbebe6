/**
 * The web console at {@code /console}: static assets from the class path ({@link ConsoleAssets})
 * that call the public API with the signed-in user's bearer token, and, only when the server runs
 * the demo, a one-click sign-in per demo user ({@link DemoSignIn}). See docs/console.md.
 */
package io.orchestrion.server.console;
