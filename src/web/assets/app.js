// The pages' writes go to the JSON API (the same validation, state machine and region checks):
// a form marked data-api is sent as JSON, its evidence files uploaded first, and the answer shown
// as people expect it: messages beside the fields, a version conflict explained, an expired
// session sent to the sign-in page and back.
(function () {
  const lang = document.body.dataset.lang === 'en' ? 'en' : 'id';
  const t = (id, en) => (lang === 'en' ? en : id);

  /** `a.b.0.c` style names become nested objects and arrays; typed by data-type. */
  function formToJson(form) {
    const out = {};
    for (const el of form.elements) {
      if (!el.name || el.disabled || el.type === 'file' || el.type === 'submit') continue;
      if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked && el.dataset.type !== 'boolean') continue;
      let value = el.type === 'checkbox' && el.dataset.type === 'boolean' ? el.checked : el.value;
      if (value === '' && !el.required) continue;
      if (el.dataset.type === 'number') value = Number(value);
      if (el.dataset.type === 'boolean' && typeof value === 'string') value = value === 'true';
      const path = el.name.split('.');
      let node = out;
      path.forEach((key, i) => {
        if (i === path.length - 1) node[key] = value;
        else node = node[key] ??= /^\d+$/.test(path[i + 1]) ? [] : {};
      });
    }
    return out;
  }

  async function uploadEvidence(form) {
    const evidence = [];
    for (const input of form.querySelectorAll('input[type=file][data-evidence]')) {
      for (const file of input.files) {
        const res = await fetch('/api/v1/documents', {
          method: 'POST',
          headers: { 'content-type': file.type || 'application/octet-stream' },
          body: file,
        });
        const body = await res.json();
        if (!res.ok) throw { status: res.status, body };
        evidence.push({ kind: 'document', sha256: body.sha256, description: file.name.slice(0, 200) });
      }
    }
    return evidence;
  }

  function clearErrors(form) {
    form.querySelectorAll('.field-error[data-js]').forEach((e) => e.remove());
    form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
    const box = form.querySelector('[data-form-status]');
    if (box) box.hidden = true;
  }

  function showStatus(form, html, kind) {
    let box = form.querySelector('[data-form-status]');
    if (!box) {
      box = document.createElement('div');
      box.dataset.formStatus = '';
      box.setAttribute('role', 'alert');
      box.tabIndex = -1;
      form.prepend(box);
    }
    box.className = kind;
    box.innerHTML = html;
    box.hidden = false;
    box.focus();
  }

  const escape = (s) =>
    String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const message = (body) =>
    escape((lang === 'en' ? body.messageEn : body.message) || t('Terjadi kesalahan', 'Something went wrong'));

  /** Field-level messages for validation details ({ field, problems } or { field, message }). */
  function showFieldErrors(form, details) {
    let shown = 0;
    for (const d of details || []) {
      const field = d.field || d.path;
      if (!field) continue;
      const input =
        form.querySelector(`[name="${CSS.escape(field)}"]`) || form.querySelector(`[data-field="${CSS.escape(field)}"]`);
      if (!input) continue;
      input.setAttribute('aria-invalid', 'true');
      const p = document.createElement('p');
      p.className = 'field-error';
      p.dataset.js = '';
      p.textContent = d.message ? (typeof d.message === 'object' ? d.message[lang] : d.message) : (d.problems || []).join('; ');
      input.insertAdjacentElement('afterend', p);
      shown++;
    }
    return shown;
  }

  async function explainConflict(form) {
    const url = form.dataset.reload;
    let changed = '';
    if (url) {
      const res = await fetch(url);
      if (res.ok) {
        const now = await res.json();
        changed = `<p>${t('Sekarang', 'Now')}: <strong>${escape(now.statusLabel ? now.statusLabel[lang] : now.status)}</strong> (${t('versi', 'version')} ${escape(now.version)}; ${t('Anda membuka versi', 'you opened version')} ${escape(form.dataset.version)}).</p>`;
      }
    }
    showStatus(
      form,
      `<p>${t('Kasus ini telah diubah oleh petugas lain sejak Anda membukanya.', 'Someone else changed this case since you opened it.')}</p>${changed}<button type="button" data-reload-page>${t('Muat ulang dan periksa', 'Reload and review')}</button>`,
      'alert',
    );
    // A listener, not an inline handler: the Content Security Policy allows no inline script.
    form.querySelector('[data-reload-page]').addEventListener('click', () => location.reload());
  }

  async function submit(form, event) {
    event.preventDefault();
    clearErrors(form);
    const button = event.submitter || form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    try {
      const body = formToJson(form);
      if (button && button.name) body[button.name] = button.dataset.type === 'boolean' ? button.value === 'true' : button.value;
      const evidence = await uploadEvidence(form);
      if (evidence.length) body.evidence = [...(body.evidence || []), ...evidence];
      const headers = { 'content-type': 'application/json' };
      if (form.dataset.version) headers['if-match'] = `"${form.dataset.version}"`;
      const res = await fetch(form.dataset.api, { method: form.dataset.method || 'POST', headers, body: JSON.stringify(body) });
      const answer = await res.json().catch(() => ({}));
      if (!res.ok) throw { status: res.status, body: answer };
      if (form.dataset.next)
        location.href = form.dataset.next.replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(answer[k] ?? ''));
      else if (form.dataset.done) showStatus(form, escape(form.dataset.done), 'success');
      else location.reload();
    } catch (err) {
      const status = err && err.status;
      if (status === 401) {
        keepTyped(form);
        location.href = `/masuk?lanjut=${encodeURIComponent(location.pathname + location.search)}&sesi=habis`;
      } else if (status === 409 && err.body.code === 'VERSION_CONFLICT') await explainConflict(form);
      else if (status) {
        const fields = showFieldErrors(form, err.body.details);
        showStatus(
          form,
          `${message(err.body)}${fields ? ` — ${t('lihat isian yang ditandai', 'see the marked fields')}` : ''}`,
          'alert',
        );
      } else
        showStatus(
          form,
          t(
            'Tidak dapat terhubung ke server. Periksa koneksi lalu coba lagi.',
            'Cannot reach the server. Check the connection and try again.',
          ),
          'alert',
        );
    } finally {
      if (button) button.disabled = false;
    }
  }

  // Typed text survives a re-sign-in: when the session has ended, the form's fields (never
  // passwords, files or hidden values) wait in this tab's sessionStorage, keyed by page and form,
  // and are put back when the page opens again after /masuk. Kept an hour at most.
  const KEPT = 'bansos-isian';
  const formKey = (form) =>
    `${location.pathname}${location.search}|${form.dataset.api}|${[...document.querySelectorAll('form[data-api]')].indexOf(form)}`;
  const kept = (el) => el.name && !['password', 'file', 'hidden', 'submit', 'button'].includes(el.type);

  function keepTyped(form) {
    const fields = [...form.elements]
      .map((el, i) => kept(el) && { i, name: el.name, value: el.value, checked: el.checked })
      .filter(Boolean);
    try {
      sessionStorage.setItem(KEPT, JSON.stringify({ key: formKey(form), fields, at: Date.now() }));
    } catch {
      // storage full or disabled: the text is lost as before
    }
  }

  function restoreTyped() {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(KEPT) || 'null');
    } catch {
      saved = null;
    }
    if (!saved) return;
    if (Date.now() - saved.at > 3600_000) return sessionStorage.removeItem(KEPT);
    const form = [...document.querySelectorAll('form[data-api]')].find((f) => formKey(f) === saved.key);
    if (!form) return; // not this page (yet): the sign-in page comes first
    sessionStorage.removeItem(KEPT);
    for (const f of saved.fields) {
      const el = form.elements[f.i];
      if (!el || el.name !== f.name || !kept(el)) continue;
      if (el.type === 'checkbox' || el.type === 'radio') el.checked = f.checked;
      else el.value = f.value;
    }
    showStatus(
      form,
      t(
        'Isian Anda dipulihkan setelah masuk kembali. Periksa, lalu kirim lagi.',
        'Your input was restored after signing in again. Check it, then send it again.',
      ),
      'notice',
    );
  }
  restoreTyped();

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.api) submit(form, event);
  });

  window.bansos = { formToJson, showFieldErrors, showStatus, clearErrors, message, t, lang };
})();
