package io.orchestrion.flow.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * Lets {@link StrictJsonReader} report an invalid enum value at its path: Jackson hands problem
 * handlers no parser, and the context's own parser is elsewhere when the value was buffered (an
 * element whose {@code type} comes last). Enum deserializers keep the parser they read from in a
 * context attribute while they read. Nothing else changes.
 */
final class EnumParserTracking {
  /** The context attribute holding the parser an enum value is being read from. */
  static final Object PARSER = EnumParserTracking.class;

  private EnumParserTracking() {}

  static SimpleModule module() {
    SimpleModule module = new SimpleModule("orchestrion-enum-parser-tracking");
    module.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public JsonDeserializer<?> modifyEnumDeserializer(
              DeserializationConfig config,
              JavaType type,
              BeanDescription beanDescription,
              JsonDeserializer<?> deserializer) {
            return new Tracking(deserializer);
          }
        });
    return module;
  }

  private static final class Tracking extends DelegatingDeserializer {
    private static final long serialVersionUID = 1L;

    Tracking(JsonDeserializer<?> delegate) {
      super(delegate);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
      return new Tracking(newDelegatee);
    }

    @Override
    public Object deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      Object previous = context.getAttribute(PARSER);
      context.setAttribute(PARSER, parser);
      try {
        return _delegatee.deserialize(parser, context);
      } finally {
        context.setAttribute(PARSER, previous);
      }
    }
  }
}
