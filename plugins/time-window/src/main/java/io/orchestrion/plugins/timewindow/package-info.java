/**
 * The {@code time-window} plugin: the {@code TIME_WINDOW} condition type, true between two local
 * times on chosen days of the week. It is also the example third-party plugin authors copy (see
 * this module's README).
 *
 * <p>Everything in this package is non-null unless documented otherwise: parameters, return values
 * and record components; "maybe" is {@link java.util.Optional}, "none" is an empty collection.
 */
package io.orchestrion.plugins.timewindow;
