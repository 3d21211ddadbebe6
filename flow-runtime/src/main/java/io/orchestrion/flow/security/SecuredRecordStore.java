package io.orchestrion.flow.security;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.flow.Operator;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.object.SystemFields;
import io.orchestrion.security.AccessDecisions;
import io.orchestrion.security.RecordOperation;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.security.UserAccess;
import io.orchestrion.spi.AccessFilter;
import io.orchestrion.spi.RecordQuery;
import io.orchestrion.spi.RecordStore;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link RecordStore} that enforces a {@link SecurityContext} on the raw store it wraps (SPEC
 * §7): in USER mode object permissions, field-level security and sharing; in SYSTEM_WITH_SHARING
 * sharing only; in SYSTEM_WITHOUT_SHARING nothing. Sharing is applied by the raw store in its query
 * ({@link RecordQuery#withAccess}), so reading a few visible records out of many costs one query,
 * not a scan in memory.
 *
 * <p>Queries return only the visible records and drop the fields the user may not read; they fail
 * only when the user may not read the object type at all, or filters or sorts on a hidden field.
 * Everything else that is denied fails with INSUFFICIENT_ACCESS naming the user, the mode and the
 * object type, field or record. Deleting, and changing the owner, need full access (owner, above
 * the owner in the role hierarchy, MODIFY_ALL): a share grants READ or EDIT only. A denied record
 * that does not exist is reported as NOT_FOUND, as by the raw store.
 *
 * <p>Bound to the raw store's transaction; not thread-safe.
 */
public final class SecuredRecordStore implements RecordStore {
  private final RecordStore records;
  private final SecurityContext context;
  private final Supplier<UserAccess> access;
  private UserAccess user;

  /**
   * @param records the raw store
   * @param context the running user and effective mode
   * @param user the access facts of {@code context}'s user
   */
  public SecuredRecordStore(RecordStore records, SecurityContext context, UserAccess user) {
    this(records, context, () -> user);
    user();
  }

  /**
   * Like the other constructor, with the access facts read on first need: a store in
   * SYSTEM_WITHOUT_SHARING mode never asks for them, so it costs no directory read.
   */
  public SecuredRecordStore(
      RecordStore records, SecurityContext context, Supplier<UserAccess> access) {
    this.records = requireNonNull(records, "records is null");
    this.context = requireNonNull(context, "context is null");
    this.access = requireNonNull(access, "access is null");
  }

  /** The access facts of the running user, checked to be theirs. */
  private UserAccess user() {
    if (user == null) {
      UserAccess facts = requireNonNull(access.get(), "user is null");
      if (!context.userId().equals(facts.userId())) {
        throw new IllegalArgumentException(
            "access facts of user '"
                + facts.userId()
                + "' do not belong to the running user '"
                + context.userId()
                + "'");
      }
      user = facts;
    }
    return user;
  }

  public SecurityContext security() {
    return context;
  }

  /**
   * This store enforcing another mode for the same user: a subflow with an explicit run mode (SPEC
   * §7). Returns this store when nothing changes.
   */
  public SecuredRecordStore withSecurity(SecurityContext other) {
    requireNonNull(other, "other is null");
    if (other.equals(context)) {
      return this;
    }
    return new SecuredRecordStore(records, other, this::user);
  }

  private boolean unrestricted() {
    return !AccessDecisions.checksSharing(context) && !AccessDecisions.checksPermissions(context);
  }

  @Override
  public ObjectTypeDefinition objectType(String apiName) {
    return records.objectType(apiName);
  }

  @Override
  public Optional<RecordData> find(String objectType, String id) {
    requireNonNull(id, "id is null");
    if (unrestricted()) {
      return records.find(objectType, id);
    }
    ObjectTypeDefinition type = records.objectType(objectType);
    AccessDecisions.checkObject(context, user(), type.apiName(), RecordOperation.READ);
    return visible(type, id, RecordOperation.READ).map(record -> readable(type, record));
  }

  @Override
  public List<RecordData> query(RecordQuery query) {
    requireNonNull(query, "query is null");
    if (unrestricted()) {
      return records.query(query);
    }
    ObjectTypeDefinition type = records.objectType(query.objectType());
    String objectType = type.apiName();
    AccessDecisions.checkObject(context, user(), objectType, RecordOperation.READ);
    // Filtering or sorting by a hidden field would reveal its values.
    for (RecordQuery.Condition condition : query.filters()) {
      AccessDecisions.checkField(context, user(), objectType, condition.field(), false);
    }
    for (RecordQuery.Order order : query.orderBy()) {
      AccessDecisions.checkField(context, user(), objectType, order.field(), false);
    }
    RecordQuery secured = query;
    if (!query.fields().isEmpty()) {
      secured =
          secured.withFields(
              query.fields().stream()
                  .filter(field -> AccessDecisions.canReadField(context, user(), objectType, field))
                  .toList());
    }
    Optional<AccessFilter> filter =
        AccessDecisions.sharingFilter(context, user(), type, RecordOperation.READ);
    if (filter.isPresent()) {
      secured = secured.withAccess(filter.get());
    }
    List<RecordData> found = records.query(secured);
    if (!AccessDecisions.checksPermissions(context)) {
      return found;
    }
    List<RecordData> readable = new ArrayList<>(found.size());
    for (RecordData record : found) {
      readable.add(readable(type, record));
    }
    return List.copyOf(readable);
  }

  @Override
  public RecordData insert(String objectType, Map<String, Object> fields, String actingUserId) {
    requireNonNull(fields, "fields is null");
    if (unrestricted()) {
      return records.insert(objectType, fields, actingUserId);
    }
    ObjectTypeDefinition type = records.objectType(objectType);
    AccessDecisions.checkObject(context, user(), type.apiName(), RecordOperation.CREATE);
    fields.forEach(
        (field, value) -> {
          // A null is no value: a record variable passed whole carries its hidden fields as null.
          if (value != null) {
            AccessDecisions.checkField(context, user(), type.apiName(), field, true);
          }
        });
    return readable(type, records.insert(objectType, fields, actingUserId));
  }

  @Override
  public RecordData update(
      String objectType,
      String id,
      long expectedVersion,
      Map<String, Object> changes,
      String actingUserId) {
    requireNonNull(id, "id is null");
    requireNonNull(changes, "changes is null");
    if (unrestricted()) {
      return records.update(objectType, id, expectedVersion, changes, actingUserId);
    }
    ObjectTypeDefinition type = records.objectType(objectType);
    String apiName = type.apiName();
    AccessDecisions.checkObject(context, user(), apiName, RecordOperation.EDIT);
    RecordData current =
        visible(type, id, RecordOperation.EDIT)
            .orElseThrow(
                () -> OrchestrionException.notFound("Record '" + id + "' of '" + apiName + "'"));
    Object newOwner = changes.get(SystemFields.OWNER_ID);
    if (newOwner != null && !newOwner.equals(current.fields().get(SystemFields.OWNER_ID))) {
      visible(type, id, RecordOperation.DELETE)
          .orElseThrow(
              () ->
                  AccessDecisions.denied(
                      context,
                      "may not change the owner of record '"
                          + id
                          + "' of object type '"
                          + apiName
                          + "': that needs full access (owner, above the owner, MODIFY_ALL)"));
    }
    Map<String, Object> allowed = new LinkedHashMap<>();
    for (Map.Entry<String, Object> change : changes.entrySet()) {
      String field = change.getKey();
      if (AccessDecisions.canEditField(context, user(), apiName, field)) {
        allowed.put(field, change.getValue());
      } else if (!sameValue(change.getValue(), current.fields().get(field))) {
        AccessDecisions.checkField(context, user(), apiName, field, true);
      }
      // An unchanged value of a field the user may not edit is left out: flows pass whole
      // records back, and writing what is already stored is not an edit.
    }
    return readable(type, records.update(objectType, id, expectedVersion, allowed, actingUserId));
  }

  @Override
  public void delete(String objectType, String id, long expectedVersion) {
    requireNonNull(id, "id is null");
    if (unrestricted()) {
      records.delete(objectType, id, expectedVersion);
      return;
    }
    ObjectTypeDefinition type = records.objectType(objectType);
    AccessDecisions.checkObject(context, user(), type.apiName(), RecordOperation.DELETE);
    if (visible(type, id, RecordOperation.DELETE).isEmpty()) {
      throw OrchestrionException.notFound("Record '" + id + "' of '" + type.apiName() + "'");
    }
    records.delete(objectType, id, expectedVersion);
  }

  /**
   * The stored record if the user may do {@code operation} to it through sharing; empty if it does
   * not exist.
   *
   * @throws OrchestrionException INSUFFICIENT_ACCESS when it exists but sharing denies it
   */
  private Optional<RecordData> visible(
      ObjectTypeDefinition type, String id, RecordOperation operation) {
    Optional<AccessFilter> filter = AccessDecisions.sharingFilter(context, user(), type, operation);
    if (filter.isEmpty()) {
      return records.find(type.apiName(), id);
    }
    List<RecordData> found =
        records.query(
            new RecordQuery(
                    type.apiName(),
                    List.of(new RecordQuery.Condition(SystemFields.ID, Operator.EQUALS, id)),
                    true,
                    List.of(),
                    Optional.of(1),
                    List.of())
                .withAccess(filter.get()));
    if (!found.isEmpty()) {
      return Optional.of(found.getFirst());
    }
    if (records.find(type.apiName(), id).isEmpty()) {
      return Optional.empty();
    }
    throw AccessDecisions.denied(
        context,
        "may not "
            + operation.name().toLowerCase(java.util.Locale.ROOT)
            + " record '"
            + id
            + "' of object type '"
            + type.apiName()
            + "' (sharing)");
  }

  /** The record without the fields the user may not read (USER mode only). */
  private RecordData readable(ObjectTypeDefinition type, RecordData record) {
    if (!AccessDecisions.checksPermissions(context)) {
      return record;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    record
        .fields()
        .forEach(
            (field, value) -> {
              if (AccessDecisions.canReadField(context, user(), type.apiName(), field)) {
                fields.put(field, value);
              }
            });
    return fields.size() == record.fields().size()
        ? record
        : new RecordData(record.objectType(), fields, record.version());
  }

  private static boolean sameValue(Object given, Object stored) {
    if (given instanceof BigDecimal a && stored instanceof BigDecimal b) {
      return a.compareTo(b) == 0;
    }
    return Objects.equals(given, stored);
  }
}
