package io.orchestrion.flow;

import io.orchestrion.api.Problem;
import io.orchestrion.api.flow.FlowElement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The element graph of a flow, for the analyses that need its shape: reachability, cycles that do
 * not go through a Loop, loops without a way out, and where asynchronous elements sit.
 */
final class FlowGraph {
  private final List<FlowElement> elements;
  private final List<List<Integer>> normal;
  private final List<List<Integer>> all;
  private final BitSet ends;
  private final BitSet reached;
  private final BitSet reachedWithoutFaults;
  private final Map<String, Integer> indexes = new HashMap<>();

  /**
   * @param normal the targets of each element's normal connectors (next, outcomes, each, after)
   * @param faults the targets of each element's fault connector
   * @param ends the elements at which a path can end (a missing connector, a CustomError)
   */
  FlowGraph(
      List<FlowElement> elements,
      List<List<Integer>> normal,
      List<List<Integer>> faults,
      BitSet ends,
      int start) {
    this.elements = elements;
    this.normal = normal;
    this.ends = ends;
    this.all = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      List<Integer> targets = new ArrayList<>(normal.get(i));
      targets.addAll(faults.get(i));
      all.add(targets);
      indexes.putIfAbsent(elements.get(i).name(), i);
    }
    this.reached = start < 0 ? new BitSet() : reach(all, start, -1);
    this.reachedWithoutFaults = start < 0 ? new BitSet() : reach(normal, start, -1);
  }

  /** The elements from {@code from} on, not walking through {@code barrier}. */
  private static BitSet reach(List<List<Integer>> edges, int from, int barrier) {
    BitSet seen = new BitSet();
    Deque<Integer> pending = new ArrayDeque<>();
    seen.set(from);
    pending.add(from);
    while (!pending.isEmpty()) {
      for (int next : edges.get(pending.poll())) {
        if (next != barrier && !seen.get(next)) {
          seen.set(next);
          pending.add(next);
        }
      }
    }
    return seen;
  }

  List<Integer> unreachable() {
    List<Integer> result = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      if (!reached.get(i)) {
        result.add(i);
      }
    }
    return result;
  }

  private boolean isLoop(int index) {
    return elements.get(index) instanceof FlowElement.Loop;
  }

  /**
   * Cycles that do not go through a Loop element: they would run until the executed-element limit
   * (an error, SPEC §10). Found as the cyclic components of the graph without its Loop elements.
   */
  List<Problem> cyclesWithoutLoop() {
    List<Problem> problems = new ArrayList<>();
    BitSet loops = new BitSet();
    for (int i = 0; i < elements.size(); i++) {
      if (isLoop(i)) {
        loops.set(i);
      }
    }
    for (List<Integer> component : cyclicComponents(loops)) {
      problems.add(
          new Problem(
              "$.elements[" + component.getFirst() + "]",
              "elements "
                  + names(component)
                  + " form a cycle that does not go through a Loop element"));
    }
    return problems;
  }

  /**
   * Cycles through a Loop that have no way out (no connector leaves them and none of their paths
   * ends): the interview can only stop at the executed-element limit (a warning, SPEC §10).
   */
  List<Problem> loopsWithoutExit() {
    List<Problem> problems = new ArrayList<>();
    for (List<Integer> component : cyclicComponents(new BitSet())) {
      BitSet members = new BitSet();
      component.forEach(members::set);
      boolean exits = false;
      for (int member : component) {
        if (ends.get(member) || all.get(member).stream().anyMatch(next -> !members.get(next))) {
          exits = true;
          break;
        }
      }
      if (!exits && component.stream().anyMatch(this::isLoop)) {
        problems.add(
            new Problem(
                "$.elements[" + component.getFirst() + "]",
                "elements "
                    + names(component)
                    + " loop without a way out: the interview can only end through the"
                    + " executed-element limit"));
      }
    }
    return problems;
  }

  /** Where an element sits, when that explains why it runs more than once or rarely. */
  Optional<String> placement(int index) {
    List<String> notes = new ArrayList<>();
    innermostLoop(index)
        .ifPresent(loop -> notes.add("inside Loop '" + elements.get(loop).name() + "'"));
    if (reached.get(index) && !reachedWithoutFaults.get(index)) {
      notes.add("reached only on a fault path");
    }
    return notes.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", notes));
  }

  /** The Loop with the smallest body (its each path back to it) that contains the element. */
  private Optional<Integer> innermostLoop(int index) {
    int best = -1;
    int bestSize = Integer.MAX_VALUE;
    for (int loop = 0; loop < elements.size(); loop++) {
      if (loop == index || !(elements.get(loop) instanceof FlowElement.Loop element)) {
        continue;
      }
      Integer each = element.each().map(indexes::get).orElse(null);
      if (each == null || each == loop) {
        continue;
      }
      BitSet body = reach(all, each, loop);
      if (!body.get(index) || !reachesFrom(index, loop)) {
        continue;
      }
      if (body.cardinality() < bestSize) {
        best = loop;
        bestSize = body.cardinality();
      }
    }
    return best < 0 ? Optional.empty() : Optional.of(best);
  }

  private boolean reachesFrom(int from, int target) {
    return reach(all, from, -1).get(target);
  }

  private String names(List<Integer> component) {
    return component.stream().map(i -> "'" + elements.get(i).name() + "'").toList().toString();
  }

  /**
   * The strongly connected components that contain a cycle (Tarjan), leaving out the elements in
   * {@code removed}; each sorted by document order, the components in order of their first element.
   */
  private List<List<Integer>> cyclicComponents(BitSet removed) {
    int size = elements.size();
    int[] order = new int[size];
    int[] low = new int[size];
    java.util.Arrays.fill(order, -1);
    BitSet onStack = new BitSet();
    Deque<Integer> stack = new ArrayDeque<>();
    List<List<Integer>> components = new ArrayList<>();
    int[] counter = {0};
    for (int root = 0; root < size; root++) {
      if (removed.get(root) || order[root] >= 0) {
        continue;
      }
      // Iterative depth-first search: flows may be long chains.
      Deque<int[]> work = new ArrayDeque<>();
      work.push(new int[] {root, 0});
      order[root] = low[root] = counter[0]++;
      stack.push(root);
      onStack.set(root);
      while (!work.isEmpty()) {
        int[] top = work.peek();
        int node = top[0];
        List<Integer> targets = all.get(node);
        if (top[1] < targets.size()) {
          int next = targets.get(top[1]++);
          if (removed.get(next)) {
            continue;
          }
          if (order[next] < 0) {
            order[next] = low[next] = counter[0]++;
            stack.push(next);
            onStack.set(next);
            work.push(new int[] {next, 0});
          } else if (onStack.get(next)) {
            low[node] = Math.min(low[node], order[next]);
          }
          continue;
        }
        work.pop();
        if (!work.isEmpty()) {
          int parent = work.peek()[0];
          low[parent] = Math.min(low[parent], low[node]);
        }
        if (low[node] == order[node]) {
          List<Integer> component = new ArrayList<>();
          int member;
          do {
            member = stack.pop();
            onStack.clear(member);
            component.add(member);
          } while (member != node);
          boolean cyclic = component.size() > 1 || all.get(node).contains(node);
          if (cyclic) {
            component.sort(null);
            components.add(component);
          }
        }
      }
    }
    components.sort((a, b) -> Integer.compare(a.getFirst(), b.getFirst()));
    return components;
  }
}
