package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchestrion.engine.AllowedActions;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.server.http.AuthenticatedUser;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Submission, run and work-item views as the API returns them: the engine's view plus {@code
 * allowedActions}, what the caller may do with it now ({@link AllowedActions}, decided by the rules
 * the engine enforces).
 */
public final class ActionViews {
  private final AllowedActions actions;
  private final ObjectMapper objectMapper;

  @Inject
  public ActionViews(AllowedActions actions, ObjectMapper objectMapper) {
    this.actions = requireNonNull(actions, "actions is null");
    this.objectMapper = requireNonNull(objectMapper, "objectMapper is null");
  }

  /** The views of one request's caller. */
  public Caller of(RoutingContext context) {
    return new Caller(actions.forUser(AuthenticatedUser.of(context).userId()));
  }

  /** Adds {@code allowedActions} for one caller. */
  public final class Caller {
    private final AllowedActions.For caller;

    private Caller(AllowedActions.For caller) {
      this.caller = caller;
    }

    public ObjectNode submission(SubmissionView view) {
      return with(view, caller.on(view));
    }

    public ObjectNode run(RunView view) {
      return with(view, caller.on(view));
    }

    public ObjectNode workItem(WorkItemView view) {
      return with(view, caller.on(view));
    }

    public List<ObjectNode> submissions(List<SubmissionView> views) {
      return each(views, this::submission);
    }

    /** A page of work items: the engine decides the page's actions in one transaction. */
    public List<ObjectNode> workItems(List<WorkItemView> views) {
      List<List<AllowedActions.Action>> allowed = caller.on(views);
      List<ObjectNode> nodes = new ArrayList<>(views.size());
      for (int i = 0; i < views.size(); i++) {
        nodes.add(with(views.get(i), allowed.get(i)));
      }
      return nodes;
    }
  }

  private static <T> List<ObjectNode> each(List<T> views, Function<T, ObjectNode> view) {
    return views.stream().map(view).toList();
  }

  private ObjectNode with(Object view, List<AllowedActions.Action> allowed) {
    ObjectNode node = objectMapper.valueToTree(view);
    ArrayNode names = node.putArray("allowedActions");
    allowed.forEach(action -> names.add(action.name()));
    return node;
  }
}
