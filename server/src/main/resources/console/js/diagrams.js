// Pictures of definitions and runs: a run's stages as a horizontal diagram, an orchestration as
// stages and steps, a flow as a graph of elements and connectors (SVG).
import {badge, h, svg} from './dom.js';

/** The stages of a run's orchestration, left to right, each with its status in the run. */
export function stageDiagram(definition, run) {
  const instances = new Map();
  for (const stage of run?.stages ?? []) {
    instances.set(stage.name, stage);
  }
  const stages = [...(definition?.stages ?? []).map(stage => stage.name)];
  for (const stage of run?.stages ?? []) {
    if (!stages.includes(stage.name)) {
      stages.push(stage.name);
    }
  }
  return h('ol', {className: 'stage-diagram', 'aria-label': 'Stages'},
    stages.map(name => {
      const status = instances.get(name)?.status ?? 'NOT_STARTED';
      return h('li', {className: `stage stage-${status.toLowerCase()}`, dataset: {stage: name, status}},
        h('span', {className: 'stage-name'}, name),
        badge(status));
    }));
}

/** An orchestration: its stages left to right, each with its steps, start conditions and exit. */
export function orchestrationDiagram(definition) {
  const stages = [...definition.stages];
  const recall = definition.recallStage ? [definition.recallStage] : [];
  const stageItem = (stage, recallStage) =>
    h('li', {className: `stage definition-stage${recallStage ? ' recall-stage' : ''}`},
      h('span', {className: 'stage-name'}, recallStage ? `${stage.name} (on recall)` : stage.name),
      h('ul', {className: 'steps'}, (stage.steps ?? []).map(step =>
        h('li', {className: `step step-${String(step.kind).toLowerCase()}`},
          h('strong', {}, step.name), ` ${String(step.kind).toLowerCase()}`,
          h('span', {className: 'hint'}, stepDetail(step))))),
      stage.exit ? h('span', {className: 'hint'}, `exit: ${conditionText(stage.exit)}`) : null,
      (stage.transitions ?? []).length
        ? h('span', {className: 'hint'}, `then: ${stage.transitions.map(t => t.to ?? t.next ?? JSON.stringify(t)).join(', ')}`)
        : null);
  return h('div', {},
    h('ol', {className: 'stage-diagram', 'aria-label': 'Stages and steps'},
      stages.map(stage => stageItem(stage, false))),
    recall.length ? h('ol', {className: 'stage-diagram', 'aria-label': 'Recall stage'},
      recall.map(stage => stageItem(stage, true))) : null);
}

function stepDetail(step) {
  const parts = [];
  if (step.flow) {
    parts.push(`flow ${step.flow}`);
  }
  if (step.assignee) {
    const a = step.assignee;
    parts.push(`assignee ${String(a.type).toLowerCase().replaceAll('_', ' ')}${a.userId ? ` ${a.userId}` : ''}${a.queue ? ` ${a.queue}` : ''}${a.group ? ` ${a.group}` : ''}`);
  }
  if (step.runAs) {
    parts.push(`runs as ${String(step.runAs.type ?? step.runAs).toLowerCase().replaceAll('_', ' ')}`);
  }
  parts.push(`starts ${step.start ? conditionText(step.start) : 'when the stage starts'}`);
  return ` — ${parts.join('; ')}`;
}

function conditionText(condition) {
  const type = String(condition.type ?? '').toLowerCase().replaceAll('_', ' ');
  if (condition.step) {
    return `${type} ${condition.step}`;
  }
  if (condition.flow) {
    return `${type} ${condition.flow}`;
  }
  if (condition.logic) {
    return `${type} (${condition.logic})`;
  }
  return type;
}

/** The connectors of a flow element: [{to, label}]. */
export function connectorsOf(element) {
  const out = [];
  const add = (to, label) => {
    if (to) {
      out.push({to, label});
    }
  };
  add(element.next, '');
  for (const outcome of element.outcomes ?? []) {
    add(outcome.next, outcome.name);
  }
  add(element.defaultNext, 'default');
  add(element.faultNext, 'fault');
  add(element.each, 'each');
  add(element.after, 'after');
  for (const path of element.paths ?? element.events ?? []) {
    add(path.next, path.name ?? path.event ?? '');
  }
  return out;
}

const NODE_W = 170;
const NODE_H = 46;
const GAP_X = 40;
const GAP_Y = 56;

/** A flow as a layered graph: the start element on top, each element one row below its parent. */
export function flowGraph(definition) {
  const elements = definition.elements ?? [];
  const byName = new Map(elements.map(element => [element.name, element]));
  const level = new Map();
  const order = [];
  const queue = definition.start && byName.has(definition.start) ? [definition.start] : [];
  if (queue.length) {
    level.set(definition.start, 0);
  }
  while (queue.length) {
    const name = queue.shift();
    order.push(name);
    for (const {to} of connectorsOf(byName.get(name))) {
      if (byName.has(to) && !level.has(to)) {
        level.set(to, level.get(name) + 1);
        queue.push(to);
      }
    }
  }
  const deepest = Math.max(-1, ...level.values());
  for (const element of elements) {
    if (!level.has(element.name)) {
      level.set(element.name, deepest + 1);
      order.push(element.name);
    }
  }
  const rows = [];
  for (const name of order) {
    (rows[level.get(name)] ??= []).push(name);
  }
  const widest = Math.max(1, ...rows.map(row => row.length));
  const width = widest * (NODE_W + GAP_X) + GAP_X;
  const height = rows.length * (NODE_H + GAP_Y) + GAP_Y / 2;
  const position = new Map();
  rows.forEach((row, r) => {
    const offset = (width - row.length * (NODE_W + GAP_X) + GAP_X) / 2;
    row.forEach((name, i) => position.set(name, {
      x: offset + i * (NODE_W + GAP_X), y: GAP_Y / 2 + r * (NODE_H + GAP_Y),
    }));
  });
  const edges = [];
  const labels = [];
  for (const element of elements) {
    const from = position.get(element.name);
    for (const {to, label} of connectorsOf(element)) {
      const target = position.get(to);
      if (!target) {
        continue;
      }
      const x1 = from.x + NODE_W / 2;
      const y1 = from.y + NODE_H;
      const x2 = target.x + NODE_W / 2;
      const y2 = target.y;
      const back = y2 <= y1;
      const path = back
        ? `M${x1},${y1} C${x1 + 90},${y1 + 40} ${x2 + 90},${y2 - 40} ${x2},${y2}`
        : `M${x1},${y1} C${x1},${(y1 + y2) / 2} ${x2},${(y1 + y2) / 2} ${x2},${y2}`;
      edges.push(svg('path', {d: path, class: `connector${label === 'fault' ? ' fault' : ''}`,
        'marker-end': 'url(#arrow)'}));
      if (label) {
        labels.push(svg('text', {x: (x1 + x2) / 2 + 4, y: (y1 + y2) / 2, class: 'connector-label'}, label));
      }
    }
  }
  const nodes = elements.map(element => {
    const {x, y} = position.get(element.name);
    const isStart = element.name === definition.start;
    return svg('g', {class: `element element-${String(element.type).toLowerCase()}${isStart ? ' start' : ''}`,
      'data-element': element.name},
    svg('title', {}, `${element.type} ${element.name}${isStart ? ' (start)' : ''}`),
    svg('rect', {x, y, width: NODE_W, height: NODE_H, rx: element.type === 'Decision' ? 2 : 10}),
    svg('text', {x: x + NODE_W / 2, y: y + 19, class: 'element-name'}, truncate(element.name, 22)),
    svg('text', {x: x + NODE_W / 2, y: y + 36, class: 'element-type'}, element.type));
  });
  return svg('svg', {
    class: 'flow-graph', viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': `Flow ${definition.apiName}: ${elements.length} elements, starting at ${definition.start}`,
    width, height,
  },
  svg('defs', {}, svg('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5,
    markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse'},
  svg('path', {d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head'}))),
  edges, nodes, labels);
}

function truncate(text, length) {
  return text.length > length ? `${text.substring(0, length - 1)}…` : text;
}
