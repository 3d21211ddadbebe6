package io.orchestrion.flow;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The non-null outputs of a completed interview, in declaration order: an immutable map over two
 * arrays, so that completing an interview builds no hash map and {@link SegmentResult.Completed}
 * need not copy it (a flow has a handful of outputs; looking one up is a scan). Equal to, and with
 * the same hash code and text as, any map with the same entries.
 */
final class OutputValues extends AbstractMap<String, Object> {
  private final String[] names;
  private final Object[] values;

  /** Takes both arrays, of the same length and without nulls, without copying. */
  OutputValues(String[] names, Object[] values) {
    this.names = names;
    this.values = values;
  }

  @Override
  public int size() {
    return names.length;
  }

  @Override
  public Object get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : values[i];
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  private int indexOf(Object key) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return names.length;
      }

      @Override
      public Iterator<Entry<String, Object>> iterator() {
        // Iterator.remove is not overridden: it throws, as the map is immutable.
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < names.length;
          }

          @Override
          public Entry<String, Object> next() {
            if (next >= names.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return Map.entry(names[i], values[i]);
          }
        };
      }
    };
  }
}
