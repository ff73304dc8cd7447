// A form per job type, generated from its params JSON Schema (GET /api/types). The server
// validates: its 422 message is shown next to the field it names.
import { number } from './format.js';

let serial = 0;

function limits(schema) {
  const parts = [];
  if (schema.minimum !== undefined && schema.maximum !== undefined) {
    parts.push(`${number(schema.minimum)} to ${number(schema.maximum)}`);
  } else if (schema.minimum !== undefined) parts.push(`at least ${number(schema.minimum)}`);
  else if (schema.maximum !== undefined) parts.push(`at most ${number(schema.maximum)}`);
  if (schema.maxLength !== undefined) parts.push(`up to ${number(schema.maxLength)} characters`);
  if (schema.default !== undefined) {
    const d = schema.default;
    parts.push(`default ${typeof d === 'number' ? number(d) : Array.isArray(d) ? d.join(', ') : String(d)}`);
  }
  return parts.join(' · ');
}

function input(name, schema, required) {
  let control;
  if (schema.format === 'upload') {
    // why: the file goes with the submit (one multipart request), so the form asks for a file, not an id
    control = document.createElement('input');
    control.type = 'file';
  } else if (schema.type === 'array' && Array.isArray(schema.items?.enum)) {
    control = document.createElement('select');
    control.multiple = true;
    control.size = Math.min(schema.items.enum.length, 6);
    const chosen = new Set((schema.default ?? []).map(String));
    for (const v of schema.items.enum) control.append(new Option(String(v), String(v), false, chosen.has(String(v))));
  } else if (Array.isArray(schema.enum)) {
    control = document.createElement('select');
    for (const v of schema.enum) control.append(new Option(String(v), String(v)));
    if (schema.default !== undefined) control.value = String(schema.default);
  } else {
    control = document.createElement('input');
    if (schema.type === 'number' || schema.type === 'integer') {
      control.type = 'number';
      control.step = schema.type === 'integer' ? '1' : 'any';
      control.inputMode = schema.type === 'integer' ? 'numeric' : 'decimal';
      if (schema.minimum !== undefined) control.min = schema.minimum;
      if (schema.maximum !== undefined) control.max = schema.maximum;
    } else if (schema.type === 'boolean') {
      control.type = 'checkbox';
      control.checked = schema.default === true;
    } else {
      control.type = 'text';
      if (schema.maxLength !== undefined) control.maxLength = schema.maxLength;
    }
    if (schema.default !== undefined && control.type !== 'checkbox') control.value = String(schema.default);
  }
  control.name = name;
  control.required = required;
  control.dataset.kind = schema.format === 'upload' ? 'upload' : schema.type ?? 'string';
  return control;
}

function field(name, schema, required) {
  const id = `f${++serial}`;
  const wrap = document.createElement('div');
  wrap.className = 'field';
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = required ? `${name} (required)` : name;
  const control = input(name, schema, required);
  control.id = id;
  const hint = document.createElement('small');
  hint.id = `${id}-hint`;
  hint.className = 'hint';
  hint.textContent = [schema.description, limits(schema)].filter(Boolean).join(' — ');
  const error = document.createElement('small');
  error.id = `${id}-error`;
  error.className = 'field-error';
  error.hidden = true;
  control.setAttribute('aria-describedby', `${hint.id} ${error.id}`);
  wrap.append(label, control, hint, error);
  return wrap;
}

/** Reads the params of a form: empty fields are left out, so the server's defaults apply; files are sent apart. */
function params(form) {
  const out = {};
  for (const c of form.querySelectorAll('[name]')) {
    if (c.dataset.kind === 'upload') continue;
    if (c.dataset.kind === 'array') {
      const chosen = [...c.selectedOptions].map(o => o.value);
      if (chosen.length > 0) out[c.name] = chosen;
    } else if (c.type === 'checkbox') out[c.name] = c.checked;
    else if (c.value === '') continue;
    else if (c.dataset.kind === 'number' || c.dataset.kind === 'integer') out[c.name] = Number(c.value);
    else out[c.name] = c.value;
  }
  return out;
}

function clearErrors(form) {
  for (const e of form.querySelectorAll('.field-error, .form-error')) {
    e.hidden = true;
    e.textContent = '';
  }
  for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
}

/** Shows a 422 detail next to the field it names ("params.seconds must be ..."), else under the form. */
export function showError(form, message) {
  const named = /params\.([A-Za-z0-9_$-]+)/.exec(message)?.[1];
  const control = named && [...form.querySelectorAll('[name]')].find(c => c.name === named);
  const target = control ? control.parentElement.querySelector('.field-error') : form.querySelector('.form-error');
  target.textContent = message;
  target.hidden = false;
  if (control) {
    control.setAttribute('aria-invalid', 'true');
    control.focus();
  }
}

/**
 * Fills {@code container} with one form per type. onStart(type, params, form, status, files) runs
 * on submit and returns a promise; files maps each upload param (format upload) with a chosen
 * file to its File. The button stays usable, so several jobs can start at once.
 */
export function renderForms(container, types, onStart) {
  container.replaceChildren();
  for (const type of types) {
    const form = document.createElement('form');
    form.className = 'type-form';
    form.noValidate = true; // why: the server's messages are the rules; the browser's would differ
    form.dataset.type = type.name;
    const title = document.createElement('h3');
    title.textContent = type.name;
    const about = document.createElement('p');
    about.className = 'muted';
    about.textContent = type.description ?? '';
    const fields = document.createElement('div');
    fields.className = 'fields';
    const schema = type.params ?? {};
    const required = new Set(schema.required ?? []);
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      fields.append(field(name, prop, required.has(name)));
    }
    const foot = document.createElement('div');
    foot.className = 'form-foot';
    const start = document.createElement('button');
    start.type = 'submit';
    start.className = 'primary';
    start.textContent = 'Start';
    start.setAttribute('aria-label', `Start a ${type.name} job`);
    const status = document.createElement('span');
    status.className = 'form-status';
    status.setAttribute('role', 'status');
    foot.append(start, status);
    const formError = document.createElement('p');
    formError.className = 'form-error';
    formError.setAttribute('role', 'alert');
    formError.hidden = true;
    // why: on a phone the forms start folded, so the list of jobs is on the first screen
    const box = document.createElement('details');
    box.open = !matchMedia('(max-width: 48rem)').matches;
    const summary = document.createElement('summary');
    summary.append(title);
    box.append(summary, about, fields, formError, foot);
    form.append(box);
    form.addEventListener('input', () => clearErrors(form));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      clearErrors(form);
      const bad = [...form.querySelectorAll('input')].find(c => c.validity.badInput);
      if (bad) {
        showError(form, `params.${bad.name} must be a number`);
        return;
      }
      const files = {};
      for (const c of form.querySelectorAll('[data-kind=upload]')) if (c.files.length > 0) files[c.name] = c.files[0];
      await onStart(type.name, params(form), form, status, files);
    });
    container.append(form);
  }
}
