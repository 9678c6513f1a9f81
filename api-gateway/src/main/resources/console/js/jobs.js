// The jobs the page started: live progress (processed of total, rate, ETA), the outcome, the failed rows, cancel,
// and an export's file when it is ready.

import { api, Problem } from './api.js';
import { count, duration, h, toast } from './format.js';

const TERMINAL = new Set(['succeeded', 'partially_succeeded', 'failed', 'cancelled']);
const POLL_MS = 700;

function tray() {
  let box = document.getElementById('jobs');
  if (!box) {
    box = h('section', { id: 'jobs', class: 'jobs', 'aria-label': 'Jobs', 'aria-live': 'polite' });
    document.body.append(box);
  }
  return box;
}

/** Follows the job until it ends; onDone(job) runs once then. */
export function watchJob(job, { label, onDone = () => {} }) {
  const title = h('strong', {}, label);
  const bar = h('progress', { max: 1, value: 0, 'aria-label': `${label}: progress` });
  const progressText = h('div', { class: 'meta' });
  const state = h('div', { class: 'meta job-state' });
  const cancel = h('button', { type: 'button', class: 'link' }, 'Cancel');
  const close = h('button', { type: 'button', class: 'link', 'aria-label': `Close ${label}` }, 'Close');
  const extra = h('div', {});
  const card = h('article', { class: 'job', 'data-job': job.id }, h('div', { class: 'toolbar' }, title,
    h('span', { class: 'spacer' }), cancel, close), bar, progressText, state, extra);
  tray().prepend(card);
  close.addEventListener('click', () => card.remove());
  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    try {
      render(await api('DELETE', `/api/v1/jobs/${job.id}`));
    } catch (e) {
      toast(e.message);
    }
  });

  let done = false;
  function render(current) {
    const total = current.total || 0;
    const processed = current.processed + (current.skipped || 0);
    bar.max = Math.max(total, 1);
    bar.value = Math.min(processed, bar.max);
    progressText.textContent = `${count(processed)} of ${total ? count(total) : '…'}`
      + (current.rate != null ? ` · ${count(current.rate)}/s` : '')
      + (current.etaSeconds != null ? ` · about ${duration(current.etaSeconds)} left` : '');
    state.textContent = stateText(current);
    cancel.hidden = TERMINAL.has(current.state) || current.cancelRequested;
    if (TERMINAL.has(current.state) && !done) {
      done = true;
      finished(current);
    }
  }

  async function finished(current) {
    if (current.failed > 0) {
      try {
        const page = await api('GET', `/api/v1/jobs/${job.id}/errors?limit=100`);
        extra.append(h('div', { class: 'errors' }, h('table', { 'aria-label': `${label}: failed rows` },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Row'), h('th', { scope: 'col' }, 'Field'),
            h('th', { scope: 'col' }, 'Error'))),
          h('tbody', {}, page.items.map((e) => h('tr', {}, h('td', {}, e.row), h('td', {}, e.field || ''),
            h('td', {}, e.message)))))));
        if (page.nextCursor) {
          extra.append(h('p', { class: 'meta' }, `The first 100 of ${count(current.failed)} failed rows.`));
        }
      } catch (e) {
        extra.append(h('p', { class: 'meta' }, e.message));
      }
    }
    if (current.type === 'export' && current.state !== 'failed' && current.state !== 'cancelled') {
      const download = h('button', { type: 'button', class: 'primary' }, 'Download CSV');
      download.addEventListener('click', () => downloadResult(job.id));
      extra.append(download);
    }
    onDone(current);
  }

  async function poll() {
    try {
      const current = await api('GET', `/api/v1/jobs/${job.id}`);
      render(current);
      if (!done) {
        setTimeout(poll, POLL_MS);
      }
    } catch (e) {
      if (e instanceof Problem && e.status === 401) {
        return;
      }
      state.textContent = e.message;
      setTimeout(poll, POLL_MS * 4);
    }
  }
  render(job);
  if (!done) {
    setTimeout(poll, POLL_MS);
  }
}

function stateText(job) {
  switch (job.state) {
    case 'queued': return job.cancelRequested ? 'Cancelling…' : 'Queued';
    case 'running': return job.cancelRequested ? 'Cancelling…' : 'Running';
    case 'succeeded': return `Done: ${count(job.succeeded)} succeeded`;
    case 'partially_succeeded': return `Done: ${count(job.succeeded)} succeeded, ${count(job.failed)} failed`;
    case 'failed': return `Failed${job.failureReason ? `: ${job.failureReason}` : `: ${count(job.failed)} rows failed`}`;
    case 'cancelled': return `Cancelled after ${count(job.processed)} rows`;
    default: return job.state;
  }
}

async function downloadResult(jobId) {
  try {
    const response = await api('GET', `/api/v1/jobs/${jobId}/result`, { raw: true, headers: { Accept: '*/*' } });
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: `users-${jobId}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    toast(e.message);
  }
}
