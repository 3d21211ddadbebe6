package io.orchestrion.server.demo;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.DirectoryService;
import io.orchestrion.spi.directory.FieldPermission;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.ObjectPermission;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.User;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo's people (issue #4): alice submits expenses, bob is her manager, fiona is in the Finance
 * queue, ada administers. Saves are upserts, so the demo runs again on the same data.
 */
final class DemoDirectory {
  static final String SUBMITTER = "alice";
  static final String MANAGER = "bob";
  static final String FINANCE = "fiona";
  static final String ADMINISTRATOR = "ada";
  static final String FINANCE_QUEUE = "Finance";

  /** Who the demo's users are, in the order the tokens are printed. */
  static final List<String[]> PEOPLE =
      List.of(
          new String[] {SUBMITTER, "Alice Submitter", "submits expenses; her manager is bob"},
          new String[] {MANAGER, "Bob Manager", "alice's manager: approves her expenses"},
          new String[] {FINANCE, "Fiona Finance", "member of the Finance queue (large expenses)"},
          new String[] {ADMINISTRATOR, "Ada Admin", "administrator: every system permission"});

  private DemoDirectory() {}

  static void create(DirectoryService directory) {
    requireNonNull(directory, "directory is null");
    // Submitters create and edit their own expenses (sharing is PRIVATE: they see only theirs);
    // the Score step runs as the submitter, so they also edit Risk.
    directory.savePermissionSet(
        new PermissionSet(
            "expense-submitters",
            "Expense submitters",
            Map.of(
                "Expense",
                Set.of(ObjectPermission.CREATE, ObjectPermission.READ, ObjectPermission.EDIT)),
            Map.of("Expense", Map.of(PermissionSet.ALL_FIELDS, Set.of(FieldPermission.EDIT))),
            Set.of()));
    // Approvers read every expense (VIEW_ALL) to judge what they approve.
    directory.savePermissionSet(
        new PermissionSet(
            "expense-approvers",
            "Expense approvers",
            Map.of("Expense", Set.of(ObjectPermission.VIEW_ALL)),
            Map.of("Expense", Map.of(PermissionSet.ALL_FIELDS, Set.of(FieldPermission.READ))),
            Set.of()));
    directory.saveUser(User.of(MANAGER, "Bob Manager"));
    directory.saveUser(User.of(SUBMITTER, "Alice Submitter").withManager(MANAGER));
    directory.saveUser(User.of(FINANCE, "Fiona Finance"));
    directory.saveUser(User.of(ADMINISTRATOR, "Ada Admin"));
    directory.assign(SUBMITTER, "expense-submitters");
    directory.assign(MANAGER, "expense-submitters");
    directory.assign(MANAGER, "expense-approvers");
    directory.assign(FINANCE, "expense-approvers");
    directory.assign(ADMINISTRATOR, DirectoryService.ADMINISTRATOR_PERMISSION_SET_ID);
    directory.saveQueue(
        new Queue(
            FINANCE_QUEUE, "Finance", List.of(GroupMember.user(FINANCE)), List.of("Expense")));
  }

  /** The member of a queue the demo lets decide for it. */
  static String deciderFor(String assigneeType, String assigneeId) {
    return assigneeType.equals("QUEUE") && assigneeId.equals(FINANCE_QUEUE) ? FINANCE : assigneeId;
  }
}
