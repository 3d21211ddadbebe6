// Submissions I may see, filtered by status, object type and submitter (in the URL, so a filtered
// list can be linked), newest page first loaded, more on request.
import {enc, get, query} from '../api.js';
import {badge, clear, errorBox, field, h, time} from '../dom.js';

const STATUSES = ['IN_PROGRESS', 'APPROVED', 'REJECTED', 'RECALLED', 'CANCELED', 'ERROR'];

export async function render(main, _params, {feed, params}) {
  const filters = {
    status: params.get('status') ?? '',
    objectType: params.get('objectType') ?? '',
    submitterId: params.get('submitterId') ?? '',
  };
  const status = h('select', {name: 'status'},
    h('option', {value: ''}, 'any'),
    STATUSES.map(value => h('option', {value, selected: value === filters.status}, value)));
  const objectType = h('select', {name: 'objectType'}, h('option', {value: ''}, 'any'));
  const submitter = h('input', {name: 'submitterId', value: filters.submitterId, autocomplete: 'off'});
  const form = h('form', {className: 'filters', 'aria-label': 'Filter submissions',
    onsubmit: event => {
      event.preventDefault();
      location.hash = `#/submissions${query({
        status: status.value, objectType: objectType.value, submitterId: submitter.value.trim(),
      })}`;
    }},
  field('Status', status),
  field('Object type', objectType),
  field('Submitter', submitter),
  h('button', {type: 'submit'}, 'Apply filters'));
  const table = h('tbody');
  const more = h('button', {type: 'button', hidden: true}, 'Load more');
  const messages = h('div');
  main.append(
    h('h1', {}, 'Submissions'),
    form,
    messages,
    h('div', {className: 'table-scroll'},
      h('table', {className: 'submissions'},
        h('caption', {className: 'visually-hidden'}, 'Submissions'),
        h('thead', {}, h('tr', {},
          ['Record', 'Orchestration', 'Status', 'Submitter', 'Submitted', 'Updated']
            .map(text => h('th', {scope: 'col'}, text)))),
        table)),
    more);

  get('/object-types').then(answer => {
    for (const type of answer.items) {
      objectType.append(h('option', {value: type.apiName, selected: type.apiName === filters.objectType},
        type.apiName));
    }
  }).catch(() => {});

  let cursor = null;
  async function load(reset) {
    try {
      const answer = await get(`/submissions${query({...filters, limit: 50, cursor: reset ? null : cursor})}`);
      if (reset) {
        clear(table);
      }
      for (const submission of answer.items) {
        table.append(row(submission));
      }
      if (reset && answer.items.length === 0) {
        table.append(h('tr', {}, h('td', {colspan: 6}, 'No submissions match.')));
      }
      cursor = answer.nextCursor ?? null;
      more.hidden = !cursor;
    } catch (error) {
      clear(messages).append(errorBox(error));
    }
  }
  more.addEventListener('click', () => load(false));
  await load(true);
  let pending = null;
  const unsubscribe = feed?.subscribe(() => {
    clearTimeout(pending);
    pending = setTimeout(() => load(true), 500);
  });
  return () => {
    unsubscribe?.();
    clearTimeout(pending);
  };
}

function row(submission) {
  return h('tr', {dataset: {submission: submission.id}},
    h('td', {}, h('a', {href: `#/submissions/${enc(submission.id)}`},
      `${submission.objectType} ${submission.recordId}`)),
    h('td', {}, `${submission.orchestration} v${submission.orchestrationVersion}`),
    h('td', {}, badge(submission.status)),
    h('td', {}, submission.submitterId),
    h('td', {}, time(submission.createdAt)),
    h('td', {}, time(submission.updatedAt)));
}
