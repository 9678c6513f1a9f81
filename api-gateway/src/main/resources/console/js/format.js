// How values read on the page.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n) {
  return String(n).padStart(2, '0');
}

/** A last login as `hh:mm MMM D, YYYY` in local time (24-hour clock), the year left out in the current year. */
export function lastLogin(iso, now = new Date()) {
  if (!iso) {
    return '—';
  }
  const at = new Date(iso);
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())} ${MONTHS[at.getMonth()]} ${at.getDate()}`;
  return at.getFullYear() === now.getFullYear() ? time : `${time}, ${at.getFullYear()}`;
}

export function count(n) {
  return Number(n).toLocaleString('en-US');
}

/** Seconds as "1 h 2 min", "3 min 4 s" or "5 s". */
export function duration(seconds) {
  if (seconds == null) {
    return '—';
  }
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) {
    return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  }
  if (s >= 60) {
    return `${Math.floor(s / 60)} min ${s % 60} s`;
  }
  return `${s} s`;
}

/** Splits "Ada King Lovelace" into first "Ada" and last "King Lovelace". */
export function splitName(full) {
  const parts = full.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) {
    return { firstName: '', lastName: '' };
  }
  return { firstName: parts[0], lastName: parts.slice(1).join(' ') };
}

/** An element with attributes and children; strings become text (never HTML). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value == null) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, value);
    }
  }
  for (const child of children.flat()) {
    if (child == null || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function toast(message) {
  const box = document.getElementById('toasts');
  const item = h('div', { class: 'toast' }, message);
  box.append(item);
  setTimeout(() => item.remove(), 4000);
}
