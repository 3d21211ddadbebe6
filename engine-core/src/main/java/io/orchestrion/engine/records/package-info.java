/**
 * Object types and their records, stored one table per object type with typed columns so that
 * filters and sorting run in SQL (see docs/persistence.md). {@link
 * io.orchestrion.engine.records.ObjectTypeStore} defines and caches object types; {@link
 * io.orchestrion.engine.records.RecordStores} opens a {@link io.orchestrion.spi.RecordStore} on a
 * transaction. Everything in this package is non-null unless documented otherwise; "maybe" is
 * {@link java.util.Optional}, "none" is an empty collection.
 */
package io.orchestrion.engine.records;
