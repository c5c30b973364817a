// The adw-trigger dashboard: renders the state the server embedded in the page, then keeps it
// current from the event stream (no reloads). Plain browser JavaScript, no build step.

const MARKERS = { pending: '⬜', blocked: '⏰', in_progress: '🟡', done: '✅', failed: '❌' };
const OUTPUT_LINES = 12;
const LIST_OPEN_UP_TO = 200;

const app = document.getElementById('app');
const connection = document.getElementById('connection');
const csrf = document.querySelector('meta[name="csrf-token"]').content;
let state = JSON.parse(document.getElementById('initial-state').textContent);
const outputs = new Map();
const closedSections = new Set();
const openSections = new Set();
let flash = '';

function esc(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function elapsed(since) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(since)) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

function cost(usd) {
  return usd === null || usd === undefined ? '' : `$${usd.toFixed(2)}`;
}

function sections() {
  const bySection = new Map();
  for (const task of state.tasks) {
    if (!bySection.has(task.section)) bySection.set(task.section, []);
    bySection.get(task.section).push(task);
  }
  return bySection;
}

function taskRow(task) {
  const id = task.id === null ? '' : ` <code>${esc(task.id)}</code>`;
  return `<li data-task-line="${task.line}" data-task-id="${esc(task.id ?? '')}" data-status="${task.status}"><span class="marker">${MARKERS[task.status]}</span> <span class="line">${task.line}</span>${id} ${esc(task.description)}</li>`;
}

function sectionBlock(name, tasks, total) {
  const done = tasks.filter((t) => t.status === 'done').length;
  const running = tasks.filter((t) => t.status === 'in_progress').length;
  const failed = tasks.filter((t) => t.status === 'failed').length;
  const pct = tasks.length === 0 ? 0 : Math.round((done / tasks.length) * 100);
  const open = openSections.has(name) || (!closedSections.has(name) && total <= LIST_OPEN_UP_TO);
  const counts = [`${done}/${tasks.length} done`];
  if (running > 0) counts.push(`${running} running`);
  if (failed > 0) counts.push(`${failed} failed`);
  return `<section class="section" data-section="${esc(name)}">
<div class="section-head"><h3>${esc(name)}</h3><span class="muted">${counts.join(' · ')}</span></div>
<progress class="bar" value="${done}" max="${Math.max(1, tasks.length)}" title="${pct}% done"></progress>
<details data-section-list="${esc(name)}"${open ? ' open' : ''}><summary>tasks</summary><ul class="tasks">${tasks.map(taskRow).join('')}</ul></details>
</section>`;
}

function runningBlock() {
  if (state.runs.length === 0) return '';
  const byId = new Map(state.tasks.map((t) => [t.id, t]));
  const rows = state.runs.map((run) => {
    const task = byId.get(run.id);
    const lines = outputs.get(run.id) ?? [];
    return `<article class="run" data-run="${esc(run.id)}">
<div><span class="marker">🟡</span> <code>${esc(run.id)}</code> ${esc(task?.description ?? '')}</div>
<div class="muted">step <b>${esc(run.step ?? 'starting')}</b> · <span data-since="${esc(run.startedAt)}">${elapsed(run.startedAt)}</span> ${cost(run.costUsd)} · line ${task?.line ?? '?'}</div>
<pre class="output" data-output="${esc(run.id)}">${esc(lines.join('\n'))}</pre>
</article>`;
  });
  return `<h2>Running</h2>${rows.join('')}`;
}

function failedBlock() {
  const failed = state.tasks.filter((t) => t.status === 'failed');
  if (failed.length === 0) return '';
  const rows = failed.map(
    (t) =>
      `<li class="failed" data-failed="${esc(t.id ?? '')}"><span class="marker">❌</span> <span class="line">${t.line}</span> ${esc(t.description)}<div class="reason">${esc(t.error ?? 'no reason recorded')}</div>${t.id === null ? '' : `<button type="button" data-retry="${esc(t.id)}">Retry</button>`}</li>`,
  );
  return `<h2>Failed</h2><ul class="plain">${rows.join('')}</ul>`;
}

function blockedBlock() {
  const blocked = state.tasks.filter((t) => t.blockedBy !== null);
  if (blocked.length === 0) return '';
  const rows = blocked.map(
    (t) =>
      `<li><span class="marker">${MARKERS[t.status]}</span> <span class="line">${t.line}</span> ${esc(t.description)} <span class="muted">waits on line ${t.blockedBy}${t.blockedReason ? ` (${esc(t.blockedReason)})` : ''}</span></li>`,
  );
  return `<h2>Blocked</h2><ul class="plain">${rows.join('')}</ul>`;
}

function mergesBlock() {
  if (state.mergesWaiting.length === 0) return '';
  const rows = state.mergesWaiting.map(
    (m) =>
      `<li><code>${esc(m.id)}</code> into <b>${esc(m.section)}</b> from ${esc(m.branch)} <span class="muted">(branch ${esc(m.section)} is checked out)</span></li>`,
  );
  return `<h2>Merges waiting</h2><ul class="plain">${rows.join('')}</ul>`;
}

function hhmm(iso) {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

// The workers of a fleet (start --queue), as the coordinator last saw them.
function fleetBlock() {
  const fleet = state.fleet;
  if (!fleet) return '';
  const rows = fleet.workers.map((w) => {
    const tasks = w.running.map((r) => `<code>${esc(r.id)}</code> (${esc(r.step ?? 'starting')})`);
    return `<li data-worker="${esc(w.name)}"><b>${esc(w.host)}</b> pid ${w.pid} · ${w.running.length}/${w.slots} slots · seen ${elapsed(w.lastSeen)} ago${tasks.length === 0 ? '' : ` · running ${tasks.join(', ')}`}</li>`;
  });
  const none = rows.length === 0 ? '<li class="muted">no worker connected</li>' : '';
  return `<h2>Fleet</h2><ul class="plain">${rows.join('')}${none}</ul>`;
}

// A dispatch pause (rate limit, permanent error, the day's budget) and the day's spend.
function pauseBlock() {
  const p = state.pause;
  const spend = state.spend;
  const budget =
    spend && spend.maxCostPerDay !== null
      ? `<p class="muted">Spent today: ${cost(spend.todayUsd)} of ${cost(spend.maxCostPerDay)} (maxCostPerDay)</p>`
      : '';
  if (!p) return budget;
  const what = p.kind === 'rate-limit' ? 'rate limit' : p.reason;
  const until = p.until === null ? '' : ` until ${hhmm(p.until)}`;
  return `<p class="flash" id="pause">paused: ${esc(what)}${esc(until)}<br><span class="muted">${esc(p.hint)}</span></p>${budget}`;
}

function diagnosticsBlock() {
  if (state.diagnostics.length === 0) return '';
  const rows = state.diagnostics.map(
    (d) =>
      `<li class="${esc(d.severity)}">${esc(state.file)}:${d.line}:${d.column} <b>${esc(d.severity)}</b> ${esc(d.rule)} ${esc(d.message)}</li>`,
  );
  return `<h2>Diagnostics</h2><ul class="plain">${rows.join('')}</ul>`;
}

function render() {
  const all = sections();
  const d = state.daemon;
  app.innerHTML = `<p class="muted">daemon ${d.pid} on ${esc(d.host)} since ${esc(d.startedAt)}${d.configFile === null ? '' : ` · config ${esc(d.configFile)}`}</p>
${flash === '' ? '' : `<p class="flash">${esc(flash)}</p>`}
${pauseBlock()}${fleetBlock()}${runningBlock()}${failedBlock()}${blockedBlock()}${mergesBlock()}${diagnosticsBlock()}
<h2>Sections</h2>${[...all].map(([name, tasks]) => sectionBlock(name, tasks, state.tasks.length)).join('')}`;
}

let refreshing = null;
let again = false;
async function refresh() {
  if (refreshing !== null) {
    again = true;
    return;
  }
  refreshing = (async () => {
    try {
      const res = await fetch('/api/v1/state', { headers: { accept: 'application/json' } });
      if (res.ok) {
        state = await res.json();
        render();
      }
    } finally {
      refreshing = null;
      if (again) {
        again = false;
        void refresh();
      }
    }
  })();
}

function addOutput(id, lines) {
  const kept = [...(outputs.get(id) ?? []), ...lines].slice(-OUTPUT_LINES);
  outputs.set(id, kept);
  const pre = app.querySelector(`pre[data-output="${CSS.escape(id)}"]`);
  if (pre !== null) pre.textContent = kept.join('\n');
}

async function loadTails() {
  for (const run of state.runs) {
    if (outputs.has(run.id)) continue;
    const res = await fetch(`/api/v1/tasks/${encodeURIComponent(run.id)}`);
    if (!res.ok) continue;
    const detail = await res.json();
    const last = detail.steps.at(-1);
    if (last !== undefined && !outputs.has(run.id)) addOutput(run.id, last.tail);
  }
}

async function retry(id) {
  const res = await fetch(`/api/v1/tasks/${encodeURIComponent(id)}/retry`, {
    method: 'POST',
    headers: { 'x-csrf-token': csrf },
  });
  const body = await res.json();
  flash = res.ok ? body.message : body.error.message;
  await refresh();
}

app.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-retry]');
  if (button === null) return;
  button.disabled = true;
  void retry(button.dataset.retry);
});

app.addEventListener(
  'toggle',
  (event) => {
    const name = event.target.dataset?.sectionList;
    if (name === undefined) return;
    if (event.target.open) {
      openSections.add(name);
      closedSections.delete(name);
    } else {
      closedSections.add(name);
      openSections.delete(name);
    }
  },
  true,
);

const events = new EventSource('/api/v1/events');
events.addEventListener('open', () => {
  connection.textContent = 'live';
  connection.className = 'live';
  void refresh();
});
events.addEventListener('error', () => {
  connection.textContent = 'reconnecting…';
  connection.className = 'muted';
});
events.addEventListener('task.output', (message) => {
  const { id, lines } = JSON.parse(message.data);
  addOutput(id, lines);
});
for (const type of [
  'task.claimed',
  'task.step',
  'task.done',
  'task.failed',
  'task.released',
  'file.changed',
  'diagnostics',
  'section.done',
  'queue.idle',
]) {
  events.addEventListener(type, () => {
    void refresh().then(loadTails);
  });
}

setInterval(() => {
  for (const el of app.querySelectorAll('[data-since]')) el.textContent = elapsed(el.dataset.since);
}, 1000);

render();
void loadTails();
