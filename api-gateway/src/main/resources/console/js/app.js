// The console: sign in, accept an invitation, and the Users page, over the API of the gateway that serves it.

import { api, Problem, session } from './api.js';
import { h } from './format.js';
import { usersPage } from './users.js';

const main = document.getElementById('main');

function show(...children) {
  main.replaceChildren(...children);
  main.focus();
}

function field(id, label, attributes) {
  const error = h('span', { class: 'field-error', id: `${id}-error`, hidden: true });
  const input = h('input', { id, name: id, 'aria-describedby': `${id}-error`, ...attributes });
  return { input, error, element: h('div', { class: 'field' }, h('label', { for: id }, label), input, error) };
}

function showProblem(e, fields, formError) {
  for (const f of Object.values(fields)) {
    f.error.hidden = true;
    f.input.removeAttribute('aria-invalid');
  }
  formError.hidden = true;
  let placed = false;
  if (e instanceof Problem) {
    for (const error of e.errors) {
      const f = fields[error.field];
      if (f) {
        f.error.textContent = error.reason;
        f.error.hidden = false;
        f.input.setAttribute('aria-invalid', 'true');
        placed = true;
      }
    }
  }
  if (!placed) {
    formError.textContent = e.message;
    formError.hidden = false;
  }
}

/**
 * A page of one form (sign in, accept an invitation): its fields, the API's errors next to the field they name,
 * and submit(values) run with the button disabled meanwhile.
 */
function formPage({ title, intro, notice, fields, submitLabel, submit }) {
  document.getElementById('top').hidden = true;
  const formError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const button = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  const form = h('form', { class: 'card narrow', novalidate: true }, h('h1', {}, title),
    notice ? h('p', { role: 'status' }, notice) : null, intro ? h('p', {}, intro) : null,
    Object.values(fields).map((f) => f.element), formError, h('div', { class: 'actions' }, button));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      await submit();
    } catch (e) {
      showProblem(e, fields, formError);
    } finally {
      button.disabled = false;
    }
  });
  show(form);
  Object.values(fields)[0].input.focus();
}

function signIn(notice) {
  const fields = {
    email: field('email', 'Email', { type: 'email', autocomplete: 'username', required: true }),
    password: field('password', 'Password', { type: 'password', autocomplete: 'current-password', required: true }),
  };
  formPage({
    title: 'Sign in to Roster', notice, fields, submitLabel: 'Sign in',
    submit: async () => {
      const login = await api('POST', '/api/v1/auth/login',
        { body: { email: fields.email.input.value, password: fields.password.input.value } });
      session.set(login);
      start();
    },
  });
}

function acceptInvitation(token) {
  const fields = {
    password: field('password', 'New password', { type: 'password', autocomplete: 'new-password', required: true }),
    repeat: field('repeat', 'Repeat the password', { type: 'password', autocomplete: 'new-password', required: true }),
  };
  formPage({
    title: 'Create your password', intro: 'At least 12 characters; a long phrase is best.', fields,
    submitLabel: 'Set password and sign in',
    submit: async () => {
      if (fields.password.input.value !== fields.repeat.input.value) {
        throw new Problem(400, { errors: [{ field: 'repeat', reason: 'does not match the password' }] });
      }
      const login = await api('POST', '/api/v1/invitations/accept',
        { body: { token: token || '', password: fields.password.input.value } });
      session.set(login);
      history.replaceState(null, '', '/');
      start();
    },
  });
}

function start() {
  const current = session.get();
  if (location.pathname === '/invitations/accept') {
    acceptInvitation(new URLSearchParams(location.search).get('token'));
    return;
  }
  if (!current) {
    signIn();
    return;
  }
  usersPage(main, current).catch((e) => show(h('p', { class: 'form-error', role: 'alert' }, e.message)));
}

window.addEventListener('roster:signed-out', () => {
  document.getElementById('jobs')?.remove();
  for (const dialog of document.querySelectorAll('dialog')) {
    dialog.close();
  }
  signIn('Your session has ended. Sign in again.');
});

document.getElementById('sign-out').addEventListener('click', async () => {
  try {
    await api('POST', '/api/v1/auth/logout');
  } catch {
    // signed out either way
  }
  session.clear();
  document.getElementById('jobs')?.remove();
  signIn('You are signed out.');
});

start();
