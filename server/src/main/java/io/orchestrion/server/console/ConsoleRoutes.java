package io.orchestrion.server.console;

import static java.util.Objects.requireNonNull;

import io.orchestrion.server.http.PageRoutes;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;

/**
 * The routes of the console: {@code /console} redirects to {@code /console/}, which serves the
 * page; {@code /console/config.json} tells it whether the demo sign-in is on, and {@code
 * /console/demo-users} answers only when the demo enabled it. No token is needed for the files:
 * they hold no data; the page calls the API with the signed-in user's token.
 */
public final class ConsoleRoutes implements PageRoutes {
  public static final String PREFIX = "/console";

  private final ConsoleAssets assets;
  private final DemoSignIn demoSignIn;

  @Inject
  public ConsoleRoutes(ConsoleAssets assets, DemoSignIn demoSignIn) {
    this.assets = requireNonNull(assets, "assets is null");
    this.demoSignIn = requireNonNull(demoSignIn, "demoSignIn is null");
  }

  @Override
  public void addRoutes(Router router) {
    // Vert.x matches "/console" for "/console/" too: only the bare path redirects.
    router.getWithRegex("^" + PREFIX + "$").handler(context -> context.redirect(PREFIX + "/"));
    router.get(PREFIX + "/config.json").handler(demoSignIn::config);
    router.get(PREFIX + "/demo-users").handler(demoSignIn::handle);
    router.get(PREFIX + "/*").handler(assets::handle);
  }
}
