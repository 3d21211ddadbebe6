/**
 * io.orchestrion.flow: flow definitions → analysis → compiled form → interpreter. Entry points:
 * {@link io.orchestrion.flow.FlowParser}, {@link io.orchestrion.flow.FlowAnalyzer}, {@link
 * io.orchestrion.flow.FlowCompiler}, {@link io.orchestrion.flow.FlowInterpreter}. Everything in
 * this package is non-null unless documented otherwise: parameters, return values and record
 * components; "maybe" is {@link java.util.Optional}, "none" is an empty collection. Values are
 * immutable and safe to share between threads.
 */
package io.orchestrion.flow;
