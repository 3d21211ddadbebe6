package io.orchestrion.spi.directory;

import java.util.List;
import java.util.Optional;

/**
 * The read side of a user directory. The engine builds an index from it (role ancestry, transitive
 * group membership, effective permissions) and rebuilds that index when {@link #revision()}
 * changes, so implementations must bump the revision on every change and may be slow to list:
 * listing happens once per revision, not per access decision.
 */
public interface Directory {
  /** A number that changes whenever anything in the directory changes. */
  long revision();

  Optional<User> user(String id);

  Optional<User> userByUsername(String username);

  List<User> users();

  List<Role> roles();

  List<PublicGroup> groups();

  List<Queue> queues();

  List<PermissionSet> permissionSets();

  /** Which permission sets each user holds. */
  List<PermissionSetAssignment> assignments();
}
