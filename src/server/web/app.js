// The devlake-ts web page: plain ES module, no build step. Every value from the API is put in the page with
// textContent (never innerHTML), and secrets are never shown: the API answers them as ********.
const $ = (sel) => document.querySelector(sel);
const MASK = '********';
const state = { plugin: null, plugins: [], connections: [], watching: null, logAbort: null };

/** Calls the API with the key, if one was given; throws an Error with the API's message on failure. */
async function api(method, url, body) {
  const headers = { accept: 'application/json' };
  const key = sessionStorage.getItem('devlake-api-key');
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401) {
    $('#key-form').hidden = false;
    throw new Error('An API key is needed');
  }
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new Error(data && data.message ? `${data.message}${data.field ? ` (${data.field})` : ''}` : `HTTP ${res.status}`);
  return data;
}

/** Builds an element: el('td', { class: 'x' }, 'text', child). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
  return node;
}

function showResult(ok, message) {
  const p = $('#form-result');
  p.className = ok ? 'ok' : 'fail';
  p.textContent = message;
}

async function loadHeader() {
  try {
    const v = await api('GET', '/version');
    $('#version').textContent = `v${v.version} · ${v.dialect}`;
    const h = await api('GET', '/health');
    $('#health').textContent = h.ok ? 'healthy' : 'unhealthy';
    $('#health').className = `badge ${h.ok ? 'ok' : 'fail'}`;
  } catch (err) {
    $('#health').textContent = err.message;
  }
}

async function loadPlugins() {
  state.plugins = await api('GET', '/plugins');
  const list = $('#plugins');
  list.replaceChildren(
    ...state.plugins.map((p) =>
      el('li', {}, el('button', { type: 'button', 'data-plugin': p.name, class: p.name === state.plugin ? 'active' : null, onclick: () => selectPlugin(p.name) }, p.name)),
    ),
  );
  if (!state.plugin && state.plugins.length) await selectPlugin(state.plugins[0].name);
}

async function selectPlugin(name) {
  state.plugin = name;
  const p = state.plugins.find((x) => x.name === name);
  for (const b of document.querySelectorAll('nav button')) b.classList.toggle('active', b.dataset.plugin === name);
  $('#plugin-view').hidden = false;
  $('#plugin-title').textContent = name;
  $('#plugin-description').textContent = `${p.description} — subtasks: ${p.subtasks.map((s) => s.name).join(', ')}`;
  resetForm();
  await loadConnections();
}

async function loadConnections() {
  state.connections = await api('GET', `/plugins/${state.plugin}/connections`);
  $('#connections tbody').replaceChildren(
    ...state.connections.map((c) =>
      el(
        'tr',
        { 'data-connection': c.name },
        el('td', {}, c.name),
        el('td', {}, c.endpoint ?? ''),
        el('td', {}, c.auth.type),
        el('td', {}, c.rateLimitPerHour ?? 'default'),
        el(
          'td',
          {},
          el('button', { type: 'button', onclick: () => testSaved(c) }, 'Test'),
          ' ',
          el('button', { type: 'button', onclick: () => editConnection(c) }, 'Edit'),
          ' ',
          el('button', { type: 'button', onclick: () => deleteConnection(c) }, 'Delete'),
        ),
      ),
    ),
  );
  for (const select of document.querySelectorAll('select[name=connectionId]')) {
    select.replaceChildren(el('option', { value: '' }, '(environment variables)'), ...state.connections.map((c) => el('option', { value: c.id }, c.name)));
    if (state.connections.length) select.value = String(state.connections[state.connections.length - 1].id);
  }
}

function showAuthFields() {
  const type = $('#connection-form select[name=authType]').value;
  for (const label of document.querySelectorAll('#connection-form [data-auth]')) label.hidden = label.dataset.auth !== type;
}

/** An empty form for a new connection (the New button, another plugin). */
function resetForm() {
  const f = $('#connection-form');
  f.reset();
  f.elements.id.value = '';
  $('#form-title').textContent = 'New connection';
  $('#form-result').textContent = '';
  $('#form-result').className = '';
  showAuthFields();
}

function editConnection(c) {
  const f = $('#connection-form');
  resetForm();
  $('#form-title').textContent = `Edit ${c.name}`;
  f.elements.id.value = c.id;
  f.elements.name.value = c.name;
  f.elements.endpoint.value = c.endpoint ?? '';
  f.elements.authType.value = c.auth.type;
  // Secrets come back masked; sending the mask back keeps the saved value.
  f.elements.token.value = c.auth.token ?? '';
  f.elements.username.value = c.auth.username ?? '';
  f.elements.password.value = c.auth.password ?? '';
  f.elements.headerName.value = c.auth.name ?? '';
  f.elements.headerValue.value = c.auth.value ?? '';
  f.elements.proxy.value = c.proxy ?? '';
  f.elements.rateLimitPerHour.value = c.rateLimitPerHour ?? '';
  showAuthFields();
}

function formBody() {
  const f = $('#connection-form').elements;
  const type = f.authType.value;
  const auth =
    type === 'bearer' ? { type, token: f.token.value }
    : type === 'basic' ? { type, username: f.username.value, password: f.password.value }
    : type === 'header' ? { type, name: f.headerName.value, value: f.headerValue.value }
    : { type };
  const body = { name: f.name.value.trim(), endpoint: f.endpoint.value.trim(), auth, proxy: f.proxy.value.trim() };
  body.rateLimitPerHour = f.rateLimitPerHour.value ? Number(f.rateLimitPerHour.value) : null;
  return body;
}

function describeTest(r) {
  return `${r.ok ? 'Connection OK' : 'Connection failed'}: ${r.message}${r.durationMs !== undefined ? ` (${r.durationMs} ms)` : ''}`;
}

async function testForm() {
  const id = $('#connection-form').elements.id.value;
  const body = formBody();
  try {
    // An edited connection whose secret is still masked is tested as saved.
    const masked = JSON.stringify(body.auth).includes(MASK) || body.proxy.includes(MASK);
    const r = id && masked ? await api('POST', `/plugins/${state.plugin}/connections/${id}/test`) : await api('POST', `/plugins/${state.plugin}/test`, { ...body, rateLimitPerHour: body.rateLimitPerHour ?? undefined });
    showResult(r.ok, describeTest(r));
  } catch (err) {
    showResult(false, err.message);
  }
}

async function testSaved(c) {
  try {
    const r = await api('POST', `/plugins/${state.plugin}/connections/${c.id}/test`);
    showResult(r.ok, `${c.name}: ${describeTest(r)}`);
  } catch (err) {
    showResult(false, err.message);
  }
}

async function saveForm(event) {
  event.preventDefault();
  const id = $('#connection-form').elements.id.value;
  const body = formBody();
  try {
    const saved = id
      ? await api('PATCH', `/plugins/${state.plugin}/connections/${id}`, body)
      : await api('POST', `/plugins/${state.plugin}/connections`, { ...body, rateLimitPerHour: body.rateLimitPerHour ?? undefined });
    await loadConnections();
    editConnection(saved);
    showResult(true, `Saved ${saved.name}`);
  } catch (err) {
    showResult(false, err.message);
  }
}

async function deleteConnection(c) {
  if (!confirm(`Delete connection ${c.name}?`)) return;
  await api('DELETE', `/plugins/${state.plugin}/connections/${c.id}`);
  resetForm();
  await loadConnections();
}

async function startRun(event) {
  event.preventDefault();
  const f = $('#run-form').elements;
  let options;
  try {
    options = JSON.parse(f.options.value || '{}');
  } catch {
    showResult(false, 'Options must be JSON, e.g. {"scope":"apache"}');
    return;
  }
  const task = { plugin: state.plugin, options };
  if (f.connectionId.value) task.connectionId = Number(f.connectionId.value);
  try {
    const p = await api('POST', '/pipelines', { name: `${state.plugin} from the web page`, plan: [[task]] });
    await loadPipelines();
    watchPipeline(p.id);
  } catch (err) {
    showResult(false, err.message);
  }
}

async function saveBlueprint(event) {
  event.preventDefault();
  const f = $('#blueprint-form').elements;
  const result = $('#blueprint-result');
  let scopes;
  try {
    scopes = JSON.parse(f.scopes.value || '[{}]');
    if (!Array.isArray(scopes)) throw new Error('not an array');
  } catch {
    result.className = 'fail';
    result.textContent = 'Scopes must be a JSON array, e.g. [{"scope":"apache"}]';
    return;
  }
  const connection = { plugin: state.plugin, scopes };
  if (f.connectionId.value) connection.connectionId = Number(f.connectionId.value);
  try {
    const bp = await api('POST', '/blueprints', { name: f.name.value.trim(), connections: [connection], ...(f.cron.value.trim() ? { cron: f.cron.value.trim() } : {}) });
    result.className = 'ok';
    result.textContent = `Saved blueprint ${bp.name}`;
    f.name.value = '';
    await loadBlueprints();
  } catch (err) {
    result.className = 'fail';
    result.textContent = err.message;
  }
}

async function loadBlueprints() {
  const list = await api('GET', '/blueprints');
  $('#blueprints tbody').replaceChildren(
    ...list.map((b) =>
      el(
        'tr',
        { 'data-blueprint': b.name },
        el('td', {}, b.id),
        el('td', {}, b.name),
        el('td', {}, b.connections.map((c) => `${c.plugin} × ${c.scopes.length}`).join(', ')),
        el('td', {}, b.cron ? `${b.cron}${b.enabled ? '' : ' (off)'}${b.nextRunAt ? ` · next ${new Date(b.nextRunAt).toLocaleString()}` : ''}` : 'manual'),
        el(
          'td',
          {},
          el('button', { type: 'button', onclick: async () => watchPipeline((await api('POST', `/blueprints/${b.id}/trigger`)).id) }, 'Run now'),
          ' ',
          el('button', { type: 'button', onclick: async () => confirm(`Delete blueprint ${b.name}?`) && (await api('DELETE', `/blueprints/${b.id}`), await loadBlueprints()) }, 'Delete'),
        ),
      ),
    ),
  );
}

function taskCell(tasks) {
  return el(
    'td',
    {},
    ...tasks.map((t) =>
      el(
        'div',
        { class: 'task', 'data-task': t.id },
        `${t.plugin} `,
        el('progress', { max: t.total || 1, value: t.done }),
        ` ${t.done}/${t.total} `,
        el('button', { type: 'button', onclick: () => streamLog(t) }, 'Log'),
      ),
    ),
  );
}

async function loadPipelines() {
  const list = await api('GET', '/pipelines');
  $('#pipelines tbody').replaceChildren(
    ...list.map((p) =>
      el(
        'tr',
        { 'data-pipeline': p.id },
        el('td', {}, p.id),
        el('td', {}, p.name),
        el('td', {}, el('span', { class: `status ${p.status}` }, p.status)),
        taskCell(p.tasks),
        el(
          'td',
          {},
          p.status === 'RUNNING' || p.status === 'CREATED'
            ? el('button', { type: 'button', onclick: () => api('POST', `/pipelines/${p.id}/cancel`).then(loadPipelines) }, 'Cancel')
            : el('button', { type: 'button', onclick: async () => watchPipeline((await api('POST', `/pipelines/${p.id}/rerun`)).id) }, 'Rerun'),
        ),
      ),
    ),
  );
  return list;
}

/** Polls the pipeline list while `id` runs, and streams the log of its first task. */
function watchPipeline(id) {
  clearInterval(state.watching);
  let streamed = false;
  const tick = async () => {
    const list = await loadPipelines();
    const p = list.find((x) => x.id === id);
    if (p && !streamed && p.tasks.length) {
      streamed = true;
      streamLog(p.tasks[0]);
    }
    if (!p || !['RUNNING', 'CREATED'].includes(p.status)) clearInterval(state.watching);
  };
  state.watching = setInterval(() => void tick().catch(() => clearInterval(state.watching)), 700);
  void tick();
}

/** Reads a task's log as server-sent events through fetch (so the API key header goes along). */
async function streamLog(task) {
  state.logAbort?.abort();
  const abort = new AbortController();
  state.logAbort = abort;
  const pre = $('#log');
  pre.textContent = '';
  $('#log-title').textContent = `Task log: #${task.id} ${task.plugin}`;
  const headers = { accept: 'text/event-stream' };
  const key = sessionStorage.getItem('devlake-api-key');
  if (key) headers.authorization = `Bearer ${key}`;
  try {
    const res = await fetch(`/tasks/${task.id}/logs`, { headers, signal: abort.signal });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (event === 'log') pre.append(`${data}\n`);
        if (event === 'end') pre.append(`— task ${JSON.parse(data).status} —\n`);
        pre.scrollTop = pre.scrollHeight;
      }
    }
  } catch (err) {
    if (err.name !== 'AbortError') pre.append(`(log stream stopped: ${err.message})\n`);
  }
}

$('#connection-form select[name=authType]').addEventListener('change', showAuthFields);
$('#connection-form').addEventListener('submit', saveForm);
$('#reset-button').addEventListener('click', resetForm);
$('#test-button').addEventListener('click', testForm);
$('#run-form').addEventListener('submit', startRun);
$('#blueprint-form').addEventListener('submit', saveBlueprint);
$('#key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem('devlake-api-key', $('#api-key').value);
  $('#api-key').value = '';
  $('#key-form').hidden = true;
  void boot();
});

async function boot() {
  await loadHeader();
  await loadPlugins();
  await loadBlueprints();
  await loadPipelines();
}
void boot();
