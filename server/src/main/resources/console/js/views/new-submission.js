// Create a record and submit it for approval: the form is built from the object type's fields;
// the orchestrations offered are the active ones for that object type.
import {enc, get, post} from '../api.js';
import {clear, errorBox, field, h} from '../dom.js';

export async function render(main) {
  const messages = h('div');
  const typeSelect = h('select', {name: 'objectType', required: true});
  const fieldsBox = h('fieldset', {className: 'record-fields'}, h('legend', {}, 'Record'));
  const orchestration = h('select', {name: 'orchestration', required: true});
  const comments = h('textarea', {name: 'comments', rows: 2, maxlength: 4000});
  const submit = h('button', {type: 'submit', className: 'primary'}, 'Create and submit');
  const form = h('form', {className: 'card new-submission', 'aria-label': 'New submission'},
    field('Object type', typeSelect), fieldsBox, field('Orchestration', orchestration),
    field('Comments', comments), submit);
  main.append(h('h1', {}, 'New submission'), messages, form);

  const [types, orchestrations] = await Promise.all([get('/object-types'), activeOrchestrations()]);
  const byName = new Map(types.items.map(type => [type.apiName, type]));
  for (const type of types.items) {
    typeSelect.append(h('option', {value: type.apiName}, type.apiName));
  }
  let inputs = [];
  const showType = () => {
    const type = byName.get(typeSelect.value);
    clear(fieldsBox).append(h('legend', {}, `${typeSelect.value} record`));
    inputs = (type?.fields ?? []).filter(f => !f.readOnly && f.type !== 'FORMULA').map(definition => {
      const control = controlFor(definition);
      fieldsBox.append(field(`${definition.label ?? definition.name}${definition.required ? ' (required)' : ''}`, control));
      return [definition, control];
    });
    clear(orchestration);
    const matching = orchestrations.filter(o => o.objectType === typeSelect.value);
    for (const o of matching) {
      orchestration.append(h('option', {value: o.apiName}, `${o.apiName} (v${o.version})`));
    }
    submit.disabled = matching.length === 0;
    if (matching.length === 0) {
      orchestration.append(h('option', {value: ''}, 'no active orchestration'));
    }
  };
  typeSelect.addEventListener('change', showType);
  showType();

  form.addEventListener('submit', async event => {
    event.preventDefault();
    clear(messages);
    submit.disabled = true;
    try {
      const values = {};
      for (const [definition, control] of inputs) {
        const value = control.value.trim();
        if (value !== '') {
          values[definition.name] = ['NUMBER', 'CURRENCY', 'PERCENT'].includes(definition.type)
            ? Number(value) : value;
        }
      }
      const record = await post(`/records/${enc(typeSelect.value)}`, values);
      const submission = await post('/submissions', {
        objectType: typeSelect.value,
        recordId: record.id,
        orchestration: orchestration.value,
        comments: comments.value.trim() || undefined,
      });
      location.hash = `#/submissions/${enc(submission.id)}`;
    } catch (error) {
      messages.append(errorBox(error));
      submit.disabled = false;
    }
  });
}

function controlFor(definition) {
  const name = definition.name;
  switch (definition.type) {
    case 'NUMBER':
    case 'CURRENCY':
    case 'PERCENT':
      return h('input', {name, type: 'number', step: 'any', required: definition.required});
    case 'PICKLIST':
      return h('select', {name},
        definition.required ? null : h('option', {value: ''}, '—'),
        (definition.values ?? []).map(value => h('option', {value}, value)));
    case 'DATE':
      return h('input', {name, type: 'date', required: definition.required});
    default:
      return h('input', {name, type: 'text', required: definition.required, autocomplete: 'off'});
  }
}

/** The active version of every orchestration: {apiName, version, objectType}. */
async function activeOrchestrations() {
  const answer = await get('/orchestrations?limit=100');
  const active = answer.items.filter(item => item.activeVersion);
  return Promise.all(active.map(async item => {
    const version = await get(`/orchestrations/${enc(item.apiName)}/versions/${item.activeVersion}`);
    return {apiName: item.apiName, version: item.activeVersion, objectType: version.definition.objectType};
  }));
}
