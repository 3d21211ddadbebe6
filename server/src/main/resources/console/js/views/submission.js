// One submission and its run: stage diagram, steps (status, execution mode and its reason, run-as
// user, errors), "why is this waiting?" for every step not started, work items, the event
// timeline (live) and history; the actions the signed-in user may take (allowedActions).
import {enc, get, post} from '../api.js';
import {announce, badge, clear, definitionList, errorBox, field, h, time} from '../dom.js';
import {stageDiagram} from '../diagrams.js';

const FINAL_RUN = new Set(['COMPLETED', 'CANCELED']);

const ACTIONS = {
  RECALL: {label: 'Recall', target: 'submission', path: 'recall', comments: true, danger: true},
  CANCEL: {label: 'Cancel submission', target: 'submission', path: 'cancel', comments: true, danger: true},
  SUSPEND: {label: 'Suspend run', target: 'run', path: 'suspend'},
  RESUME: {label: 'Resume run', target: 'run', path: 'resume'},
  RETRY: {label: 'Retry run', target: 'run', path: 'retry'},
};

export async function render(main, [id], {feed}) {
  const submissionId = decodeURIComponent(id);
  const heading = h('h1', {}, 'Submission');
  const actions = h('section', {className: 'actions', 'aria-label': 'Actions'});
  const body = h('div', {className: 'submission-body'});
  const messages = h('div', {className: 'messages'});
  main.append(h('p', {}, h('a', {href: '#/submissions'}, '← Submissions')), heading, messages, actions, body);
  let runId = null;
  let definition = null;
  let loading = null;
  let shown = null;

  async function load() {
    const submission = await get(`/submissions/${enc(submissionId)}`);
    runId = submission.runId;
    const [run, workItems, events] = await Promise.all([
      get(`/runs/${enc(runId)}`),
      get(`/runs/${enc(runId)}/work-items`),
      timeline(runId),
    ]);
    if (!definition) {
      definition = await get(`/orchestrations/${enc(submission.orchestration)}/versions/${submission.orchestrationVersion}`)
        .then(version => version.definition)
        .catch(() => null);
    }
    const explanation = FINAL_RUN.has(run.status)
      ? null
      : await get(`/runs/${enc(runId)}/explain`).catch(() => null);
    // Unchanged since the last look (a live event of another step, say): keep the page as it is,
    // with the user's open "why" boxes and focus.
    const fingerprint = JSON.stringify([submission, run, workItems, events.length,
      explanation && {...explanation, evaluatedAt: null}]);
    if (fingerprint === shown) {
      return;
    }
    shown = fingerprint;
    clear(heading).append(`${submission.objectType} ${submission.recordId} `, badge(submission.status));
    heading.dataset.status = submission.status;
    showActions(submission, run);
    clear(body).append(
      overview(submission, run),
      h('section', {'aria-labelledby': 'stages-heading'},
        h('h2', {id: 'stages-heading'}, 'Stages'),
        stageDiagram(definition, run)),
      stepsSection(run, explanation),
      workItemsSection(workItems.items),
      timelineSection(events, run),
      historySection(submission.history));
  }

  function reload() {
    clearTimeout(loading);
    loading = setTimeout(() => load().catch(error => clear(messages).append(errorBox(error))), 300);
  }

  function showActions(submission, run) {
    clear(actions);
    const allowed = [
      ...(submission.allowedActions ?? []).map(action => [action, submission.id]),
      ...(run.allowedActions ?? []).map(action => [action, run.id]),
    ];
    if (allowed.length === 0) {
      return;
    }
    const comments = h('input', {name: 'comments', autocomplete: 'off', maxlength: 4000});
    const needsComments = allowed.some(([action]) => ACTIONS[action]?.comments);
    actions.append(h('h2', {className: 'visually-hidden'}, 'Actions'),
      needsComments ? field('Comments (recall, cancel)', comments) : null,
      h('div', {className: 'buttons'}, allowed.filter(([action]) => ACTIONS[action]).map(([action, target]) => {
        const spec = ACTIONS[action];
        return h('button', {
          type: 'button',
          className: spec.danger ? 'danger' : '',
          dataset: {action},
          onclick: async event => {
            event.target.disabled = true;
            clear(messages);
            try {
              const path = spec.target === 'submission'
                ? `/submissions/${enc(target)}/${spec.path}`
                : `/runs/${enc(target)}/${spec.path}`;
              await post(path, spec.comments && comments.value.trim() ? {comments: comments.value.trim()} : {});
              announce(`${spec.label}: done.`);
              messages.append(h('p', {className: 'done', role: 'status'}, `${spec.label}: done.`));
              await load();
            } catch (error) {
              messages.append(errorBox(error));
              event.target.disabled = false;
            }
          },
        }, spec.label);
      })));
  }

  await load();
  const unsubscribe = feed?.subscribe(event => {
    if (event.runId === runId) {
      reload();
    }
  });
  // Decisions by others change the run without an event of this feed's kinds: look again too.
  const timer = setInterval(reload, 10000);
  return () => {
    unsubscribe?.();
    clearInterval(timer);
    clearTimeout(loading);
  };
}

async function timeline(runId) {
  const events = [];
  let after = 0;
  for (let page = 0; page < 10; page++) {
    const answer = await get(`/events?runId=${enc(runId)}&after=${after}&limit=1000`);
    events.push(...answer.items);
    if (answer.items.length < 1000) {
      break;
    }
    after = answer.lastSequence;
  }
  return events;
}

function overview(submission, run) {
  return h('section', {'aria-labelledby': 'overview-heading'},
    h('h2', {id: 'overview-heading', className: 'visually-hidden'}, 'Overview'),
    definitionList([
      ['Orchestration', `${submission.orchestration} v${submission.orchestrationVersion}`],
      ['Submitted by', submission.submitterId],
      ['Submitted', time(submission.createdAt)],
      ['Comments', submission.comments],
      ['Run', h('span', {}, `${run.id} `, badge(run.status))],
      ['Error', submission.error ?? run.error],
    ]));
}

function stepsSection(run, explanation) {
  const waiting = new Map((explanation?.steps ?? []).map(step => [step.name, step]));
  const current = explanation?.stage;
  return h('section', {'aria-labelledby': 'steps-heading'},
    h('h2', {id: 'steps-heading'}, 'Steps'),
    explanation?.note ? h('p', {className: 'notice'}, explanation.note) : null,
    run.stages.map(stage => h('div', {className: 'stage-steps', dataset: {stage: stage.name}},
      h('h3', {}, `${stage.name} `, badge(stage.status)),
      h('div', {className: 'table-scroll'}, h('table', {className: 'steps'},
        h('caption', {className: 'visually-hidden'}, `Steps of ${stage.name}`),
        h('thead', {}, h('tr', {}, ['Step', 'Status', 'Execution', 'Runs as', 'Started', 'Ended', 'Details']
          .map(text => h('th', {scope: 'col'}, text)))),
        h('tbody', {}, stage.steps.map(step => stepRow(step,
          stage.name === current && stage.status === 'IN_PROGRESS' ? waiting.get(step.name) : null))))),
      stage.name === current && explanation?.exit
        ? h('p', {className: 'exit'}, h('strong', {}, 'Stage exit: '), explanation.exit.explanation)
        : null)));
}

function stepRow(step, why) {
  const execution = step.executionMode
    ? h('span', {}, badge(step.executionMode), step.executionReason ? ` ${step.executionReason}` : '')
    : (step.kind === 'APPROVAL' ? 'approval' : '—');
  const runAs = step.runAsUserId
    ? `${step.runAsUserId}${step.runMode ? ` (${step.runMode})` : ''}`
    : (step.runMode ?? '—');
  const details = [];
  if (step.flow) {
    details.push(h('div', {}, `flow ${step.flow}${step.flowVersion ? ` v${step.flowVersion}` : ''}`,
      step.attempt > 1 ? `, attempt ${step.attempt}` : ''));
  }
  if (step.error) {
    details.push(h('div', {className: 'error-text'}, step.error));
  }
  if (step.outputs && Object.keys(step.outputs).length) {
    details.push(h('div', {className: 'outputs'}, `outputs ${JSON.stringify(step.outputs)}`));
  }
  if (step.status === 'NOT_STARTED' && why) {
    details.push(whyWaiting(why));
  }
  return h('tr', {dataset: {step: step.name, status: step.status}},
    h('th', {scope: 'row'}, step.name, h('span', {className: 'hint'}, ` ${String(step.kind).toLowerCase()}`)),
    h('td', {}, badge(step.status)),
    h('td', {}, execution),
    h('td', {}, runAs),
    h('td', {}, time(step.startedAt)),
    h('td', {}, time(step.endedAt)),
    h('td', {}, details));
}

function whyWaiting(why) {
  const rows = why.start?.details?.requirements ?? [];
  return h('details', {className: 'why'},
    h('summary', {}, 'Why is this waiting?'),
    h('p', {}, why.start?.explanation ?? 'Its start condition does not hold yet.'),
    why.blockedForever ? h('p', {className: 'error-text'}, why.blockedForever) : null,
    rows.length ? h('ol', {className: 'requirements'}, rows.map(row =>
      h('li', {}, `${row.met ? '✔' : '✘'} ${describeRow(row)}`))) : null,
    why.start?.recheckAt ? h('p', {}, 'Checked again at ', time(why.start.recheckAt)) : null);
}

function describeRow(row) {
  const left = row.left ?? row.leftRef ?? '';
  const leftValue = row.leftValue !== undefined ? ` = ${JSON.stringify(row.leftValue)}` : '';
  const right = row.rightValue !== undefined ? JSON.stringify(row.rightValue) : (row.right ?? '');
  const text = `${typeof left === 'object' ? JSON.stringify(left) : left}${leftValue} ${row.operator ?? ''} ${typeof right === 'object' ? JSON.stringify(right) : right}`;
  return text.trim() || JSON.stringify(row);
}

function workItemsSection(items) {
  return h('section', {'aria-labelledby': 'items-heading'},
    h('h2', {id: 'items-heading'}, 'Work items'),
    items.length === 0 ? h('p', {}, 'None.') : h('div', {className: 'table-scroll'}, h('table', {className: 'work-items'},
      h('caption', {className: 'visually-hidden'}, 'Work items'),
      h('thead', {}, h('tr', {}, ['Step', 'Assigned to', 'Status', 'Decided by', 'Decided', 'Comments', 'Due']
        .map(text => h('th', {scope: 'col'}, text)))),
      h('tbody', {}, items.map(item => h('tr', {dataset: {workItem: item.id}},
        h('th', {scope: 'row'}, item.stepName),
        h('td', {}, `${item.assigneeType.toLowerCase()} ${item.assigneeId}`),
        h('td', {}, badge(item.status)),
        h('td', {}, item.decidedBy
          ? (item.decidedOnBehalfOf ? `${item.decidedBy} on behalf of ${item.decidedOnBehalfOf}` : item.decidedBy)
          : '—'),
        h('td', {}, time(item.decidedAt)),
        h('td', {}, item.comments ?? ''),
        h('td', {}, item.dueAt ? time(item.dueAt) : '—')))))));
}

function timelineSection(events, run) {
  const stepNames = new Map();
  for (const stage of run.stages) {
    for (const step of stage.steps) {
      stepNames.set(step.id, `${stage.name}.${step.name}`);
    }
  }
  return h('section', {'aria-labelledby': 'timeline-heading'},
    h('h2', {id: 'timeline-heading'}, 'Event timeline'),
    events.length === 0 ? h('p', {}, 'No events yet.') : h('ol', {className: 'timeline'},
      events.map(event => h('li', {dataset: {sequence: event.sequence}},
        h('span', {className: 'sequence'}, `#${event.sequence}`), ' ',
        time(event.publishedAt), ' ',
        h('strong', {}, event.kind),
        event.stepInstanceId ? ` ${stepNames.get(event.stepInstanceId) ?? event.stepInstanceId}` : '',
        event.stepStatus ? [' ', badge(event.stepStatus)] : null,
        event.payload && Object.keys(event.payload).length
          ? h('code', {className: 'payload'}, JSON.stringify(event.payload)) : null))));
}

function historySection(history) {
  return h('section', {'aria-labelledby': 'history-heading'},
    h('h2', {id: 'history-heading'}, 'History'),
    h('ol', {className: 'history'}, (history ?? []).map(entry => h('li', {},
      time(entry.at), ' ', h('strong', {}, entry.action), ` by ${entry.performerId} (${entry.performerRole})`,
      entry.comments ? `: ${entry.comments}` : ''))));
}
