package io.orchestrion.spi.notification;

import io.orchestrion.api.Experimental;
import io.orchestrion.spi.directory.User;
import java.util.List;
import java.util.Optional;

/**
 * What the engine offers a {@link NotificationListener} while it delivers: the people an event is
 * about, read from the directory as it is now, without the listener touching the database. Each
 * call opens and closes its own short read; none is made inside a transaction of the caller.
 */
@Experimental
public interface NotificationContext {
  /** The user with this id, active or not (an inactive user should not be told anything). */
  Optional<User> user(String userId);

  /**
   * The active users who may decide a work item assigned to {@code assigneeType} ({@code USER},
   * {@code GROUP} or {@code QUEUE}, as in work item events' {@code assigneeType}) {@code
   * assigneeId}: the user, or the members of the group or queue (through roles and nested groups).
   * At most {@link #MAX_MEMBERS}, in id order; none for an unknown assignee or another type.
   */
  List<User> assigneeUsers(String assigneeType, String assigneeId);

  /** The most users {@link #assigneeUsers} returns for one group or queue. */
  int MAX_MEMBERS = 500;
}
