// The Users page: the list over the keyset API (sort, filters, search, count), selection, row and bulk actions.

import { api, idempotencyKey, Problem } from './api.js';
import { confirmDialog, formDialog } from './dialogs.js';
import { count, h, lastLogin, splitName, toast } from './format.js';
import { watchJob } from './jobs.js';

const PAGE = 50;
const ROLES = ['Admin', 'Staff', 'User'];
const STATUSES = ['pending', 'active', 'inactive'];
const COLUMNS = [
  { key: 'name', label: 'Name' }, { key: 'email', label: 'Email' }, { key: 'role', label: 'Role' },
  { key: 'location', label: 'Location' }, { key: 'status', label: 'Status' },
  { key: 'lastLogin', label: 'Last login' }, { key: 'tags', label: 'Tags' },
];

export async function usersPage(main, current) {
  const me = current.user;
  const state = {
    orgId: me.orgId, sort: 'name', desc: false, roles: new Set(), statuses: new Set(), q: '',
    items: [], cursor: null, total: null, totalExact: true, loading: false, generation: 0,
    selection: { all: false, ids: new Set(), except: new Set() },
  };

  const top = document.getElementById('top');
  top.hidden = false;
  document.getElementById('who').textContent = `${me.firstName} ${me.lastName} (${me.role})`;
  const orgSelect = document.getElementById('org-select');
  const newOrg = document.getElementById('new-org');
  newOrg.hidden = me.role !== 'Admin';
  // the organizations load beside the first page, not before it
  loadOrgs(orgSelect, me.orgId, state.orgId);
  orgSelect.onchange = () => {
    state.orgId = orgSelect.value;
    reload();
  };
  newOrg.onclick = async () => {
    const created = await formDialog({
      title: 'New sub-organization', intro: `Inside ${orgSelect.selectedOptions[0].textContent.trim()}.`,
      fields: [{ name: 'name', label: 'Name', required: true }], submitLabel: 'Create',
      onSubmit: (v) => api('POST', `/api/v1/orgs/${state.orgId}/sub-orgs`, { body: { name: v.name } }),
    });
    if (created) {
      await loadOrgs(orgSelect, me.orgId, created.id);
      state.orgId = created.id;
      reload();
    }
  };

  // the toolbar
  const search = h('input', { type: 'search', id: 'search', placeholder: 'Search name or email',
    'aria-label': 'Search users by name or email' });
  let searchTimer;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      state.q = search.value.trim();
      reload();
    }, 300);
  });
  const roleFilter = multiFilter('Role', ROLES, state.roles, reload);
  const statusFilter = multiFilter('Status', STATUSES, state.statuses, reload);
  const counter = h('span', { class: 'count', id: 'user-count', role: 'status', 'aria-live': 'polite' });
  const inviteButton = h('button', { type: 'button', class: 'primary', onclick: () => invite() }, 'Invite user');
  const importButton = h('button', { type: 'button', onclick: () => importCsv() }, 'Import CSV');
  const toolbar = h('div', { class: 'toolbar' }, search, roleFilter.element, statusFilter.element, counter,
    h('span', { class: 'spacer' }), inviteButton, importButton);

  // selection and bulk actions
  const selectionText = h('span', { id: 'selection-text' });
  const selectAllMatching = h('button', { type: 'button', class: 'link', hidden: true }, '');
  selectAllMatching.addEventListener('click', () => {
    state.selection = { all: true, ids: new Set(), except: new Set() };
    renderSelection();
  });
  const bulkTag = h('button', { type: 'button', onclick: () => applyTag() }, 'Apply tag');
  const bulkExport = h('button', { type: 'button', onclick: () => exportCsv() }, 'Export CSV');
  const bulkDelete = h('button', { type: 'button', class: 'danger', onclick: () => deleteSelected() }, 'Delete');
  const clearSelection = h('button', { type: 'button', class: 'link', onclick: () => {
    state.selection = { all: false, ids: new Set(), except: new Set() };
    renderSelection();
  } }, 'Clear selection');
  const selectionBar = h('div', { class: 'selection-bar', hidden: true, role: 'region', 'aria-label': 'Selection' },
    selectionText, selectAllMatching, h('span', { class: 'spacer' }), bulkTag, bulkExport, bulkDelete,
    clearSelection);

  // the table
  const headerCheck = h('input', { type: 'checkbox', 'aria-label': 'Select all loaded users' });
  headerCheck.addEventListener('change', () => {
    if (headerCheck.checked) {
      state.selection = { all: false, ids: new Set(state.items.map((u) => u.id)), except: new Set() };
    } else {
      state.selection = { all: false, ids: new Set(), except: new Set() };
    }
    renderSelection();
  });
  const headRow = h('tr', {}, h('th', { class: 'check', scope: 'col' }, headerCheck));
  const sortButtons = {};
  for (const column of COLUMNS) {
    const button = h('button', { type: 'button', class: 'sort', 'data-sort': column.key }, column.label);
    button.addEventListener('click', () => {
      state.desc = state.sort === column.key ? !state.desc : false;
      state.sort = column.key;
      reload();
    });
    sortButtons[column.key] = button;
    headRow.append(h('th', { scope: 'col', 'data-column': column.key }, button));
  }
  headRow.append(h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')));
  const tbody = h('tbody', {});
  const table = h('table', { class: 'users', 'aria-label': 'Users', 'aria-busy': 'false' }, h('thead', {}, headRow),
    tbody);
  const more = h('button', { type: 'button', id: 'load-more', hidden: true, onclick: () => loadPage() }, 'Load more');
  const moreBox = h('div', { class: 'more' }, more);
  new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting) && state.cursor && !state.loading) {
      loadPage();
    }
  }).observe(moreBox);

  main.replaceChildren(h('h1', {}, 'Users'), toolbar, selectionBar, table, moreBox);
  main.focus();
  await reload();

  function filterBody() {
    return {
      role: state.roles.size ? [...state.roles] : null,
      status: state.statuses.size ? [...state.statuses] : null,
      q: state.q || null,
    };
  }

  function query() {
    const params = new URLSearchParams({ sort: `${state.sort},${state.desc ? 'desc' : 'asc'}`, limit: PAGE });
    if (state.roles.size) {
      params.set('role', [...state.roles].join(','));
    }
    if (state.statuses.size) {
      params.set('status', [...state.statuses].join(','));
    }
    if (state.q) {
      params.set('q', state.q);
    }
    return params;
  }

  async function reload() {
    state.generation += 1;
    state.items = [];
    state.cursor = null;
    state.total = null;
    state.selection = { all: false, ids: new Set(), except: new Set() };
    for (const [key, button] of Object.entries(sortButtons)) {
      const th = button.parentElement;
      if (key === state.sort) {
        th.setAttribute('aria-sort', state.desc ? 'descending' : 'ascending');
        button.textContent = `${COLUMNS.find((c) => c.key === key).label} ${state.desc ? '▼' : '▲'}`;
      } else {
        th.removeAttribute('aria-sort');
        button.textContent = COLUMNS.find((c) => c.key === key).label;
      }
    }
    await loadPage(true);
  }

  async function loadPage(first = false) {
    if (state.loading && !first) {
      return;
    }
    const generation = state.generation;
    state.loading = true;
    table.setAttribute('aria-busy', 'true');
    const params = query();
    if (!first && state.cursor) {
      params.set('cursor', state.cursor);
    }
    performance.mark(first ? 'roster:rows-start' : 'roster:more-start');
    try {
      const page = await api('GET', `/api/v1/orgs/${state.orgId}/users?${params}`);
      if (generation !== state.generation) {
        return;
      }
      const added = page.items;
      state.items.push(...added);
      state.cursor = page.nextCursor;
      if (page.total != null) {
        state.total = page.total;
        state.totalExact = page.totalExact !== false;
      }
      renderRows(first ? null : added);
      // for the page benchmark (bench: page): when rows are on screen
      performance.mark(first ? 'roster:rows' : 'roster:more');
    } catch (e) {
      if (!(e instanceof Problem && e.status === 401)) {
        toast(e.message);
      }
    } finally {
      if (generation === state.generation) {
        state.loading = false;
        table.setAttribute('aria-busy', 'false');
      }
    }
  }

  function selected(id) {
    return state.selection.all ? !state.selection.except.has(id) : state.selection.ids.has(id);
  }

  function selectedCount() {
    if (state.selection.all) {
      return (state.total ?? state.items.length) - state.selection.except.size;
    }
    return state.selection.ids.size;
  }

  /** Renders the table: whole, or only the rows a further page {@code added} (focus and scroll stay put). */
  function renderRows(added) {
    const total = state.total;
    counter.textContent = total == null ? `${count(state.items.length)} users shown`
      : `${count(total)}${state.totalExact ? '' : '+'} users`;
    more.hidden = !state.cursor;
    if (added) {
      tbody.append(...added.map(row));
    } else {
      tbody.replaceChildren(...state.items.map(row));
    }
    if (state.items.length === 0) {
      tbody.append(h('tr', {}, h('td', { colspan: COLUMNS.length + 2, class: 'muted' }, 'No users match.')));
    }
    renderSelection();
  }

  /** The selection's bar, the header checkbox and each row's checkbox; rows are not re-rendered (focus stays). */
  function renderSelection() {
    const total = state.total;
    for (const check of tbody.querySelectorAll('input[type=checkbox][data-id]')) {
      check.checked = selected(check.dataset.id);
    }
    const n = selectedCount();
    selectionBar.hidden = n === 0;
    if (state.selection.all) {
      selectionText.textContent = (state.totalExact ? `All ${count(n)} matching users selected`
        : 'All matching users selected')
        + (state.selection.except.size ? ` (${count(state.selection.except.size)} left out)` : '');
      selectAllMatching.hidden = true;
    } else {
      selectionText.textContent = `${count(n)} selected`;
      const matching = total ?? null;
      const everyLoaded = state.items.length > 0 && state.items.every((u) => state.selection.ids.has(u.id));
      selectAllMatching.hidden = !(everyLoaded && (state.cursor || (matching != null && matching > n)));
      selectAllMatching.textContent = matching != null && state.totalExact ? `Select all ${count(matching)} matching`
        : 'Select all matching';
    }
    headerCheck.checked = state.items.length > 0 && state.items.every((u) => selected(u.id));
    headerCheck.indeterminate = !headerCheck.checked && state.items.some((u) => selected(u.id));
  }

  function row(user) {
    const check = h('input', { type: 'checkbox', 'aria-label': `Select ${user.name}`, checked: selected(user.id),
      'data-id': user.id });
    check.addEventListener('change', () => {
      const s = state.selection;
      if (s.all) {
        if (check.checked) {
          s.except.delete(user.id);
        } else {
          s.except.add(user.id);
        }
      } else if (check.checked) {
        s.ids.add(user.id);
      } else {
        s.ids.delete(user.id);
      }
      renderSelection();
    });
    const name = h('button', { type: 'button', class: 'name-copy', title: user.email,
      'aria-label': `${user.name}, ${user.email}: copy the email` }, user.name);
    name.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(user.email);
        toast(`Copied ${user.email}`);
      } catch {
        toast(`Could not copy; the email is ${user.email}`);
      }
    });
    return h('tr', { 'data-user': user.id },
      h('td', { class: 'check' }, check),
      h('td', {}, name, user.orgName && user.orgId !== state.orgId ? h('div', { class: 'muted' }, user.orgName) : null),
      h('td', {}, user.email),
      h('td', {}, user.role),
      h('td', {}, user.location || ''),
      h('td', {}, h('span', { class: `status status-${user.status}` }, user.status)),
      h('td', {}, lastLogin(user.lastLoginAt)),
      h('td', {}, (user.tags || []).map((t) => h('span', { class: 'tag' }, t))),
      h('td', {}, rowMenu(user)));
  }

  function rowMenu(user) {
    const toggle = h('button', { type: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false',
      'aria-label': `Actions for ${user.name}` }, '⋯');
    const items = [
      ['Edit', () => edit(user)], ['Change password', () => changePassword(user)],
      ['Send activity log', () => sendActivity(user)], ['Force logout', () => forceLogout(user)],
      ['Transfer', () => transfer(user)], ['Delete', () => deleteOne(user)],
    ];
    const menu = h('div', { class: 'menu', role: 'menu', hidden: true },
      items.map(([label, action]) => h('button', { type: 'button', role: 'menuitem', onclick: () => {
        closeMenu();
        toggle.focus(); // what a dialog the action opens gives focus back to
        action();
      } }, label)));
    const box = h('div', { class: 'row-menu' }, toggle, menu);
    function closeMenu() {
      menu.hidden = true;
      toggle.setAttribute('aria-expanded', 'false');
    }
    toggle.addEventListener('click', () => {
      const open = menu.hidden;
      document.querySelectorAll('.menu').forEach((m) => {
        m.hidden = true;
      });
      menu.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      if (open) {
        menu.querySelector('button').focus();
      }
    });
    box.addEventListener('keydown', (event) => {
      const buttons = [...menu.querySelectorAll('button')];
      const at = buttons.indexOf(document.activeElement);
      if (event.key === 'Escape') {
        closeMenu();
        toggle.focus();
      } else if (event.key === 'ArrowDown' && at >= 0) {
        event.preventDefault();
        buttons[(at + 1) % buttons.length].focus();
      } else if (event.key === 'ArrowUp' && at >= 0) {
        event.preventDefault();
        buttons[(at - 1 + buttons.length) % buttons.length].focus();
      }
    });
    box.addEventListener('focusout', (event) => {
      if (!box.contains(event.relatedTarget)) {
        closeMenu();
      }
    });
    return box;
  }

  /** The users an action is for: the ids given, all matching the filter less the unticked, or the ticked rows. */
  function target(ids) {
    if (ids) {
      return { userIds: ids };
    }
    if (state.selection.all) {
      return { filter: filterBody(), excludeUserIds: [...state.selection.except] };
    }
    // in the order the page shows them
    return { userIds: state.items.map((u) => u.id).filter((id) => state.selection.ids.has(id)) };
  }

  async function submitJob(path, body, label) {
    const job = await api('POST', `/api/v1/orgs/${state.orgId}/jobs/${path}`,
      { body, headers: { 'Idempotency-Key': idempotencyKey() } });
    watchJob(job, { label, onDone: () => reload() });
    return job;
  }

  async function invite() {
    await formDialog({
      title: 'Invite user',
      fields: [
        { name: 'name', label: 'User name', required: true, autocomplete: 'name' },
        { name: 'email', label: 'Email', type: 'email', required: true },
        { name: 'role', label: 'Role', type: 'select', options: ROLES, value: 'User' },
      ],
      submitLabel: 'Invite',
      errorField: (f) => {
        const leaf = f.replace(/^users(\[\d+\])?\./, '');
        return leaf === 'firstName' || leaf === 'lastName' ? 'name' : leaf;
      },
      onSubmit: (v) => {
        const { firstName, lastName } = splitName(v.name);
        return submitJob('invite', { users: [{ email: v.email, firstName, lastName, role: v.role }] },
          `Invite ${v.email}`);
      },
    });
  }

  async function importCsv() {
    await formDialog({
      title: 'Import users from CSV',
      intro: 'A header row (email, firstName, lastName, role, location, tags), then a user per line.',
      fields: [{ name: 'file', label: 'CSV file', type: 'file', accept: '.csv,text/csv', required: true }],
      submitLabel: 'Import',
      errorField: () => 'file',
      onSubmit: async (v) => {
        if (!v.file) {
          throw new Problem(400, { errors: [{ field: 'file', reason: 'choose a file' }] });
        }
        const job = await api('POST', `/api/v1/orgs/${state.orgId}/jobs/invite`,
          { body: v.file, type: 'text/csv', headers: { 'Idempotency-Key': idempotencyKey() } });
        watchJob(job, { label: `Import of ${v.file.name}`, onDone: () => reload() });
      },
    });
  }

  async function edit(user) {
    const profile = await api('GET', `/api/v1/users/${user.id}`);
    await formDialog({
      title: `Edit ${user.name}`,
      fields: [
        { name: 'firstName', label: 'First name', value: profile.firstName },
        { name: 'lastName', label: 'Last name', value: profile.lastName },
        { name: 'email', label: 'Email (cannot change)', value: profile.email, readonly: true },
        { name: 'role', label: 'Role', type: 'select', options: ROLES, value: profile.role },
        { name: 'location', label: 'Location', value: profile.location || '' },
      ],
      onSubmit: async (v) => {
        const patch = {};
        for (const key of ['firstName', 'lastName', 'role', 'location']) {
          if ((profile[key] || '') !== v[key]) {
            patch[key] = v[key];
          }
        }
        if (Object.keys(patch).length) {
          await api('PATCH', `/api/v1/users/${user.id}`, { body: patch });
          toast(`Saved ${v.firstName} ${v.lastName}`);
          reload();
        }
      },
    });
  }

  async function changePassword(user) {
    if (!await confirmDialog({ title: 'Change password', message: `Are you sure? Every session of ${user.name} `
      + 'ends and they sign in with the new password.', confirmLabel: 'Continue' })) {
      return;
    }
    await formDialog({
      title: `New password for ${user.name}`,
      fields: [{ name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password' }],
      submitLabel: 'Set password',
      onSubmit: async (v) => {
        await api('PUT', `/api/v1/users/${user.id}/password`, { body: { password: v.password } });
        toast(`The password of ${user.name} is set`);
      },
    });
  }

  async function sendActivity(user) {
    try {
      const mailed = await api('POST', `/api/v1/users/${user.id}/activity/email`);
      toast(`The activity log of ${user.name} is on its way to ${mailed.to}`);
    } catch (e) {
      toast(e.message);
    }
  }

  async function forceLogout(user) {
    try {
      await api('POST', `/api/v1/users/${user.id}/logout`);
      toast(`${user.name} is signed out everywhere`);
    } catch (e) {
      toast(e.message);
    }
  }

  async function transfer(user) {
    await formDialog({
      title: `Transfer ${user.name}`,
      intro: 'To the organization where this email belongs to an Admin.',
      fields: [
        { name: 'destinationAdminEmail', label: 'Email of an admin there', type: 'email' },
        { name: 'role', label: 'Role there', type: 'select', options: ROLES, value: user.role },
      ],
      submitLabel: 'Transfer',
      onSubmit: (v) => submitJob('transfer', { ...target([user.id]), destinationAdminEmail: v.destinationAdminEmail,
        role: v.role }, `Transfer ${user.name}`),
    });
  }

  async function deleteOne(user) {
    await formDialog({
      title: `Delete ${user.name}`,
      intro: 'This cannot be undone. Type DELETE to confirm.',
      fields: [{ name: 'confirm', label: 'Type DELETE' }],
      submitLabel: 'Delete', danger: true,
      onSubmit: (v) => submitJob('delete', { ...target([user.id]), confirm: v.confirm }, `Delete ${user.name}`),
    });
  }

  async function applyTag() {
    let tags = [];
    try {
      tags = (await api('GET', `/api/v1/orgs/${state.orgId}/tags`)).items;
    } catch (e) {
      toast(e.message);
      return;
    }
    if (tags.length === 0) {
      toast('This organization defines no tags yet.');
      return;
    }
    const n = selectedCount();
    await formDialog({
      title: 'Apply tag', intro: `To ${count(n)} selected users.`,
      fields: [{ name: 'tag', label: 'Tag', type: 'select', options: tags, value: tags[0] }],
      submitLabel: 'Apply',
      onSubmit: (v) => submitJob('tag', { ...target(), tag: v.tag }, `Tag ${count(n)} users '${v.tag}'`),
    });
  }

  async function exportCsv() {
    const n = selectedCount();
    try {
      const body = target();
      if (body.filter) {
        body.sort = `${state.sort},${state.desc ? 'desc' : 'asc'}`; // the file in the order the page shows
      }
      await submitJob('export', body, `Export of ${count(n)} users`);
    } catch (e) {
      toast(e.message);
    }
  }

  async function deleteSelected() {
    const n = selectedCount();
    if (!await confirmDialog({ title: 'Delete users', message: 'Are you sure you want to delete the selected users?',
      confirmLabel: 'Yes, delete', danger: true })) {
      return;
    }
    try {
      await submitJob('delete', { ...target(), confirm: 'DELETE' }, `Delete ${count(n)} users`);
    } catch (e) {
      toast(e.message);
    }
  }
}

/** A multiple-choice filter: a button opening checkboxes with OK and Reset; applied on OK. */
function multiFilter(label, values, chosen, apply) {
  const id = `filter-${label.toLowerCase()}`;
  const button = h('button', { type: 'button', id, 'aria-haspopup': 'true', 'aria-expanded': 'false',
    'aria-controls': `${id}-panel` }, label);
  const boxes = values.map((v) => h('input', { type: 'checkbox', value: v, name: `${id}-${v}` }));
  const ok = h('button', { type: 'button', class: 'primary' }, 'OK');
  const reset = h('button', { type: 'button' }, 'Reset');
  const panel = h('div', { class: 'filter-panel', id: `${id}-panel`, hidden: true, role: 'group',
    'aria-label': `${label} filter` },
    boxes.map((box) => h('label', {}, box, ` ${box.value}`)), h('div', { class: 'actions' }, reset, ok));
  const element = h('div', { class: 'filter' }, button, panel);
  function label_() {
    button.textContent = chosen.size ? `${label} (${[...chosen].join(', ')})` : label;
  }
  function close() {
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
  }
  button.addEventListener('click', () => {
    if (panel.hidden) {
      boxes.forEach((box) => {
        box.checked = chosen.has(box.value);
      });
      panel.hidden = false;
      button.setAttribute('aria-expanded', 'true');
      boxes[0].focus();
    } else {
      close();
    }
  });
  ok.addEventListener('click', () => {
    chosen.clear();
    boxes.filter((b) => b.checked).forEach((b) => chosen.add(b.value));
    label_();
    close();
    button.focus();
    apply();
  });
  reset.addEventListener('click', () => {
    chosen.clear();
    boxes.forEach((box) => {
      box.checked = false;
    });
    label_();
    close();
    button.focus();
    apply();
  });
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !panel.hidden) {
      close();
      button.focus();
    }
  });
  return { element };
}

/** The caller's organization and those below it, each indented by its depth. */
async function loadOrgs(select, rootId, selectedId) {
  const options = [];
  try {
    const root = await api('GET', `/api/v1/orgs/${rootId}`);
    const walk = async (org, depth) => {
      options.push({ id: org.id, label: `${'\u00a0\u00a0'.repeat(depth)}${org.name}` });
      const children = await api('GET', `/api/v1/orgs/${org.id}/sub-orgs`);
      for (const child of children.items) {
        await walk(child, depth + 1);
      }
    };
    await walk(root, 0);
  } catch {
    options.push({ id: rootId, label: 'My organization' });
  }
  select.replaceChildren(...options.map((o) => h('option', { value: o.id, selected: o.id === selectedId }, o.label)));
}
