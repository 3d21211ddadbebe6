package io.orchestrion.flow.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The Jackson configuration shared by flow-runtime, engine-core and the server, so that a document
 * means the same thing wherever it is read. Configured explicitly rather than relying on Jackson's
 * defaults.
 */
public final class OrchestrionJson {
  private OrchestrionJson() {}

  /**
   * A new mapper: Optional and java.time support; unknown properties fail (strict definitions);
   * floating-point numbers are read as BigDecimal (money is never binary floating point) and
   * written plainly; dates are ISO-8601 strings; absent values (null, empty Optional) are omitted;
   * trailing tokens after the document fail.
   */
  public static ObjectMapper newObjectMapper() {
    return JsonMapper.builder(
            JsonFactory.builder()
                // Jackson's default pool of parser and generator buffers is per thread, and the
                // engine reads and writes JSON on virtual threads, which a pool per thread never
                // serves twice: every document allocated fresh 8-16 KB buffers. A pool shared by
                // all threads lends them again.
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                .build())
        .addModule(new Jdk8Module())
        .addModule(new JavaTimeModule())
        .addModule(EnumParserTracking.module())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .defaultPropertyInclusion(
            JsonInclude.Value.construct(JsonInclude.Include.NON_ABSENT, JsonInclude.Include.ALWAYS))
        .build();
  }
}
