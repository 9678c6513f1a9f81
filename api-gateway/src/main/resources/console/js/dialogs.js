// Modal dialogs on <dialog> (focus kept inside, Escape closes), with the API's field errors next to their fields.

import { Problem } from './api.js';
import { h } from './format.js';

let counter = 0;

/**
 * A form in a modal. fields: [{ name, label, type (text, email, password, select, file), value, options,
 * readonly, required, autocomplete, help }]. onSubmit(values) returns a promise; a Problem it throws is shown
 * next to the field it names (errorField maps an API field to a form field), else above the buttons. Resolves
 * with what onSubmit returned, or null when cancelled.
 */
export function formDialog({ title, intro, fields, submitLabel = 'Save', danger = false, onSubmit,
  errorField = (f) => f }) {
  return new Promise((resolve) => {
    const id = `dialog-${++counter}`;
    const inputs = {};
    const errors = {};
    const formError = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const form = h('form', { method: 'dialog', novalidate: true });
    for (const field of fields) {
      const inputId = `${id}-${field.name}`;
      const errorId = `${inputId}-error`;
      let input;
      if (field.type === 'select') {
        input = h('select', { id: inputId, name: field.name },
          field.options.map((o) => h('option', { value: o.value ?? o, selected: (o.value ?? o) === field.value },
            o.label ?? o)));
      } else {
        input = h('input', {
          id: inputId, name: field.name, type: field.type || 'text', value: field.value ?? '',
          readonly: field.readonly, required: field.required, autocomplete: field.autocomplete || 'off',
          accept: field.accept, 'aria-describedby': errorId,
        });
      }
      inputs[field.name] = input;
      errors[field.name] = h('span', { class: 'field-error', id: errorId, hidden: true });
      form.append(h('div', { class: 'field' }, h('label', { for: inputId }, field.label), input,
        field.help ? h('span', { class: 'muted' }, field.help) : null, errors[field.name]));
    }
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const submit = h('button', { type: 'submit', class: danger ? 'danger' : 'primary' }, submitLabel);
    form.append(formError, h('div', { class: 'actions' }, cancel, submit));
    const dialog = h('dialog', { 'aria-labelledby': `${id}-title` },
      h('h2', { id: `${id}-title` }, title), intro ? h('p', {}, intro) : null, form);
    document.body.append(dialog);
    let result = null;
    const opener = document.activeElement;
    const close = () => {
      dialog.close();
    };
    dialog.addEventListener('close', () => {
      dialog.remove();
      giveFocusBack(opener);
      resolve(result);
    });
    cancel.addEventListener('click', close);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      for (const name of Object.keys(errors)) {
        errors[name].hidden = true;
        inputs[name].removeAttribute('aria-invalid');
      }
      formError.hidden = true;
      const values = {};
      for (const [name, input] of Object.entries(inputs)) {
        values[name] = input.type === 'file' ? input.files[0] : input.value;
      }
      submit.disabled = true;
      try {
        result = (await onSubmit(values)) ?? true;
        close();
      } catch (e) {
        showError(e, inputs, errors, formError, errorField);
      } finally {
        submit.disabled = false;
      }
    });
    dialog.showModal();
    const first = fields.find((f) => !f.readonly);
    if (first) {
      inputs[first.name].focus();
    }
  });
}

/** Focus goes back to what opened the dialog, if it is still on the page. */
function giveFocusBack(opener) {
  if (opener && opener.isConnected && typeof opener.focus === 'function') {
    opener.focus();
  }
}

function showError(e, inputs, errors, formError, errorField) {
  let shown = false;
  if (e instanceof Problem) {
    for (const error of e.errors) {
      const name = errorField(error.field || '');
      if (name && errors[name]) {
        errors[name].textContent = error.reason;
        errors[name].hidden = false;
        inputs[name].setAttribute('aria-invalid', 'true');
        if (!shown) {
          inputs[name].focus();
        }
        shown = true;
      }
    }
  }
  if (!shown) {
    formError.textContent = e.message;
    formError.hidden = false;
  }
}

/** A question with two answers. Resolves true for the confirming one. */
export function confirmDialog({ title, message, confirmLabel = 'OK', cancelLabel = 'Cancel', danger = false }) {
  return new Promise((resolve) => {
    const id = `dialog-${++counter}`;
    const no = h('button', { type: 'button' }, cancelLabel);
    const yes = h('button', { type: 'button', class: danger ? 'danger' : 'primary' }, confirmLabel);
    const dialog = h('dialog', { 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-message` },
      h('h2', { id: `${id}-title` }, title), h('p', { id: `${id}-message` }, message),
      h('div', { class: 'actions' }, no, yes));
    document.body.append(dialog);
    let answer = false;
    const opener = document.activeElement;
    dialog.addEventListener('close', () => {
      dialog.remove();
      giveFocusBack(opener);
      resolve(answer);
    });
    no.addEventListener('click', () => dialog.close());
    yes.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    dialog.showModal();
    no.focus();
  });
}
