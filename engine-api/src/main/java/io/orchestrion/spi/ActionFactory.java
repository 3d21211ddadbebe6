package io.orchestrion.spi;

/** A flow action contributed by a plugin: its typed signature and its implementation. */
public interface ActionFactory {
  ActionDescriptor descriptor();

  /** Creates the action; called once, the instance is shared by all interviews. */
  Action create();
}
