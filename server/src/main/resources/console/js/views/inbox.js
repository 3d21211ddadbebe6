// The inbox: my open work items (assigned to me, my groups or my queues) with the record summary,
// due date and overdue badge; approve or reject with comments; reassign. Updates live.
import {ApiError, enc, get, post} from '../api.js';
import {announce, badge, clear, errorBox, field, h, time} from '../dom.js';

/** Fields every record has; the card shows the object type's own. */
const SYSTEM_FIELDS = new Set(['Id', 'OwnerId', 'CreatedById', 'CreatedDate', 'LastModifiedById',
  'LastModifiedDate']);

export async function render(main, _params, {feed}) {
  const list = h('div', {className: 'inbox', 'aria-live': 'polite'});
  const status = h('div', {className: 'inbox-status'});
  main.append(
    h('h1', {}, 'Inbox'),
    h('p', {className: 'lead'}, 'Work items waiting for you, your groups and your queues.'),
    status,
    list);
  const open = new Map();
  const records = new Map();
  let pending = null;

  /**
   * The record of each item whose object type marks no field approver-visible (so its summary is
   * empty), when the approver may read it; without access the card shows the record id.
   */
  async function readRecords(items) {
    await Promise.all(items
      .filter(item => Object.keys(item.recordSummary ?? {}).length === 0 && !records.has(item.id))
      .map(async item => {
        try {
          const record = await get(`/records/${enc(item.objectType)}/${enc(item.recordId)}`);
          records.set(item.id, record.fields ?? {});
        } catch {
          records.set(item.id, {});
        }
      }));
  }

  async function load() {
    try {
      const answer = await get('/work-items?status=ASSIGNED&limit=100');
      await readRecords(answer.items.filter(item => !open.has(item.id)));
      show(answer.items);
    } catch (error) {
      clear(status).append(errorBox(error));
    }
  }

  function show(items) {
    const seen = new Set(items.map(item => item.id));
    for (const [id, card] of open) {
      if (!seen.has(id) && !card.dataset.result) {
        card.remove();
        open.delete(id);
      }
    }
    for (const item of items) {
      if (!open.has(item.id)) {
        const card = itemCard(item, records.get(item.id), load);
        open.set(item.id, card);
        list.append(card);
      }
    }
    const waiting = items.length;
    clear(status).append(h('p', {className: 'count'},
      waiting === 0 ? 'Nothing is waiting for you.' : `${waiting} item${waiting === 1 ? '' : 's'} waiting.`));
  }

  await load();
  const unsubscribe = feed?.subscribe(() => {
    clearTimeout(pending);
    pending = setTimeout(load, 300);
  });
  // The event kinds of the feed do not cover every change of an inbox (a reassignment, say):
  // look again now and then too.
  const timer = setInterval(load, 15000);
  return () => {
    unsubscribe?.();
    clearTimeout(pending);
    clearInterval(timer);
  };
}

function itemCard(item, recordFields, reload) {
  const headingId = `wi-${item.id}`;
  const overdue = item.dueAt && new Date(item.dueAt) < new Date();
  const fields = Object.keys(item.recordSummary ?? {}).length ? item.recordSummary : (recordFields ?? {});
  const summary = Object.entries(fields).filter(([name]) => !SYSTEM_FIELDS.has(name));
  const outcome = h('div', {className: 'outcome', role: 'status'});
  const card = h('article', {className: 'card work-item', 'aria-labelledby': headingId,
    dataset: {workItem: item.id, submission: item.submissionId}},
  h('h2', {id: headingId},
    `${item.stepName}: ${item.objectType} ${summaryTitle(item, fields)}`,
    overdue ? badge('OVERDUE', 'overdue') : null),
  h('dl', {className: 'facts'},
    h('dt', {}, 'Submitted by'), h('dd', {}, item.submitterId),
    h('dt', {}, 'Assigned to'), h('dd', {}, `${item.assigneeType.toLowerCase()} ${item.assigneeId}`),
    item.onBehalfOf ? [h('dt', {}, 'On behalf of'), h('dd', {className: 'on-behalf-of'}, item.onBehalfOf)] : null,
    h('dt', {}, 'Due'), h('dd', {}, item.dueAt ? time(item.dueAt) : 'no due date'),
    h('dt', {}, 'Waiting since'), h('dd', {}, time(item.createdAt)),
    summary.map(([name, value]) => [h('dt', {}, name), h('dd', {}, formatValue(value))])),
  h('p', {}, h('a', {href: `#/submissions/${enc(item.submissionId)}`}, 'Open the submission')),
  outcome);
  const actions = item.allowedActions ?? [];
  if (actions.includes('DECIDE')) {
    card.append(decisionForm(item, card, outcome, reload));
  }
  if (actions.includes('REASSIGN')) {
    card.append(reassignForm(item, card, outcome, reload));
  }
  return card;
}

function summaryTitle(item, summary) {
  const title = summary.Title ?? summary.Name ?? item.recordId;
  return summary.Amount !== undefined ? `“${title}” (${formatValue(summary.Amount)})` : `“${title}”`;
}

function formatValue(value) {
  if (value === null || value === undefined) {
    return '—';
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function decisionForm(item, card, outcome, reload) {
  const comments = h('textarea', {name: 'comments', rows: 2, maxlength: 4000});
  const buttons = [];
  const decide = async decision => {
    buttons.forEach(button => { button.disabled = true; });
    clear(outcome);
    try {
      const decided = await post(`/work-items/${enc(item.id)}/decision`,
        {decision, comments: comments.value.trim() || undefined});
      finish(card, outcome, `${decided.status === 'APPROVED' ? 'Approved' : 'Rejected'}.`);
      setTimeout(reload, 1500);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        outcome.append(await alreadyDecided(item.id, error));
        card.dataset.result = 'conflict';
        card.querySelectorAll('form').forEach(form => form.remove());
      } else {
        outcome.append(errorBox(error));
        buttons.forEach(button => { button.disabled = false; });
      }
    }
  };
  buttons.push(
    h('button', {type: 'button', className: 'primary approve', onclick: () => decide('APPROVE')}, 'Approve'),
    h('button', {type: 'button', className: 'danger reject', onclick: () => decide('REJECT')}, 'Reject'));
  return h('form', {className: 'decision', onsubmit: event => event.preventDefault(),
    'aria-label': `Decide ${item.stepName}`},
  field('Comments', comments),
  h('div', {className: 'buttons'}, buttons));
}

/** "Already approved by X at T", from the item as it is now. */
async function alreadyDecided(id, error) {
  try {
    const now = await get(`/work-items/${enc(id)}`);
    if (now.decidedBy) {
      return h('p', {className: 'conflict', role: 'alert'},
        `Already decided by ${now.decidedBy} at `, time(now.decidedAt),
        ` (${String(now.status).toLowerCase()}).`);
    }
    return h('p', {className: 'conflict', role: 'alert'}, `This item is now ${now.status}.`);
  } catch {
    return errorBox(error);
  }
}

function reassignForm(item, card, outcome, reload) {
  const type = h('select', {name: 'assigneeType'},
    ['USER', 'GROUP', 'QUEUE'].map(value => h('option', {value}, value.toLowerCase())));
  const id = h('input', {name: 'assigneeId', required: true, autocomplete: 'off'});
  return h('details', {className: 'reassign'},
    h('summary', {}, 'Reassign'),
    h('form', {
      'aria-label': `Reassign ${item.stepName}`,
      onsubmit: async event => {
        event.preventDefault();
        clear(outcome);
        try {
          await post(`/work-items/${enc(item.id)}/reassign`,
            {assigneeType: type.value, assigneeId: id.value.trim()});
          finish(card, outcome, `Reassigned to ${type.value.toLowerCase()} ${id.value.trim()}.`);
          setTimeout(reload, 1500);
        } catch (error) {
          outcome.append(errorBox(error));
        }
      },
    },
    field('Assignee type', type),
    field('Assignee id', id),
    h('button', {type: 'submit'}, 'Reassign')));
}

function finish(card, outcome, message) {
  card.dataset.result = 'done';
  card.querySelectorAll('form, details').forEach(element => element.remove());
  outcome.append(h('p', {className: 'done'}, message));
  announce(message);
}
