// Definitions: flows and orchestrations with their versions, the active one, deploy warnings and
// the JSON; a flow drawn as a graph, an orchestration as stages and steps.
import {enc, get} from '../api.js';
import {badge, clear, definitionList, errorBox, h, time} from '../dom.js';
import {flowGraph, orchestrationDiagram} from '../diagrams.js';

export async function render(main, [kind, apiName, version]) {
  if (!kind) {
    return renderLists(main);
  }
  return renderOne(main, kind, decodeURIComponent(apiName), version ? Number(version) : null);
}

async function renderLists(main) {
  main.append(h('h1', {}, 'Definitions'));
  const [flows, orchestrations] = await Promise.all([
    get('/flows?limit=500'), get('/orchestrations?limit=500')]);
  main.append(
    listSection('Orchestrations', 'orchestrations', orchestrations.items),
    listSection('Flows', 'flows', flows.items));
}

function listSection(title, kind, items) {
  const id = `${kind}-heading`;
  return h('section', {'aria-labelledby': id},
    h('h2', {id}, title),
    h('div', {className: 'table-scroll'}, h('table', {className: `definitions ${kind}`},
      h('caption', {className: 'visually-hidden'}, title),
      h('thead', {}, h('tr', {}, ['Name', 'Versions', 'Latest', 'Active'].map(text => h('th', {scope: 'col'}, text)))),
      h('tbody', {}, items.map(item => h('tr', {dataset: {definition: item.apiName}},
        h('th', {scope: 'row'}, h('a', {href: `#/definitions/${kind}/${enc(item.apiName)}`}, item.apiName)),
        h('td', {}, String(item.versions)),
        h('td', {}, `v${item.latestVersion}`),
        h('td', {}, item.activeVersion ? `v${item.activeVersion}` : badge('NONE'))))))));
}

async function renderOne(main, kind, apiName, version) {
  const label = kind === 'flows' ? 'Flow' : 'Orchestration';
  main.append(h('p', {}, h('a', {href: '#/definitions'}, '← Definitions')), h('h1', {}, `${label} ${apiName}`));
  const versions = await get(`/${kind}/${enc(apiName)}/versions?limit=500`);
  const items = versions.items ?? [];
  const shown = version ?? (items.find(item => item.status === 'ACTIVE') ?? items[items.length - 1])?.version;
  main.append(h('nav', {className: 'versions', 'aria-label': 'Versions'},
    h('ul', {}, items.map(item => h('li', {},
      h('a', {
        href: `#/definitions/${kind}/${enc(apiName)}/${item.version}`,
        'aria-current': item.version === shown ? 'page' : false,
      }, `v${item.version}`), ' ', badge(item.status))))));
  if (!shown) {
    main.append(h('p', {}, 'No versions.'));
    return;
  }
  try {
    const one = await get(`/${kind}/${enc(apiName)}/versions/${shown}`);
    main.append(details(kind, one));
  } catch (error) {
    main.append(errorBox(error));
  }
}

function details(kind, one) {
  const warnings = one.warnings ?? [];
  const analysis = one.analysis;
  return h('section', {'aria-labelledby': 'version-heading'},
    h('h2', {id: 'version-heading'}, `Version ${one.version} `, badge(one.status)),
    definitionList([
      ['Deployed', time(one.createdAt)],
      ['Activated', one.activatedAt ? time(one.activatedAt) : null],
      ['Object type', one.definition.objectType],
      ['Runs', analysis ? h('span', {}, badge(analysis.mode),
        (analysis.asyncReasons ?? []).length ? ` because of ${analysis.asyncReasons.map(reasonText).join(', ')}` : '') : null],
    ]),
    h('h3', {}, 'Deploy warnings'),
    warnings.length === 0 ? h('p', {}, 'None.') : h('ul', {className: 'warnings'},
      warnings.map(warning => h('li', {}, h('code', {}, warning.path ?? ''), ' ', warning.message ?? JSON.stringify(warning)))),
    h('h3', {}, kind === 'flows' ? 'Graph' : 'Stages and steps'),
    h('div', {className: 'diagram-scroll'}, kind === 'flows' ? flowGraph(one.definition) : orchestrationDiagram(one.definition)),
    h('details', {className: 'json'},
      h('summary', {}, 'JSON'),
      h('pre', {tabindex: 0}, h('code', {}, JSON.stringify(one.definition, null, 2)))));
}

function reasonText(reason) {
  if (typeof reason === 'string') {
    return reason;
  }
  const text = [reason.kind, reason.element ? `element '${reason.element}'` : null, reason.placement]
    .filter(Boolean).join(' ');
  return text || JSON.stringify(reason);
}
