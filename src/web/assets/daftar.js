// Online registration: steps, family members, live NIK/KK checks, documents with previews, a
// draft saved on the server (resumed with a link holding the access code) and the submission.
(function () {
  const { formToJson, showFieldErrors, showStatus, clearErrors, message, t, lang } = window.bansos;
  const form = document.getElementById('daftar');
  const members = document.getElementById('anggota');
  const template = document.getElementById('anggota-template');
  const STORAGE = 'bansos-draf';
  let step = 1;
  let draft = null; // { caseId, token, version }
  let head = 0;
  let dirty = true; // the form differs from the saved draft
  let missingDocuments = false; // resumed after the village found documents missing: upload, then resubmit

  const api = async (method, url, body, contentType = 'application/json') => {
    const headers = { 'content-type': contentType };
    if (draft) headers['x-resume-token'] = draft.token;
    if (draft && method === 'PUT') headers['if-match'] = `"${draft.version}"`;
    const res = await fetch(url, { method, headers, body: contentType === 'application/json' ? JSON.stringify(body) : body });
    const answer = await res.json().catch(() => ({}));
    if (!res.ok) throw { status: res.status, body: answer };
    return answer;
  };

  function fail(err) {
    if (!err || !err.status)
      return showStatus(form, t('Tidak dapat terhubung ke server. Coba lagi.', 'Cannot reach the server. Try again.'), 'alert');
    const marked = showFieldErrors(form, err.body.details);
    showStatus(
      form,
      `${message(err.body)}${marked ? ` — ${t('lihat isian yang ditandai', 'see the marked fields')}` : ''}`,
      'alert',
    );
    const first = form.querySelector('[aria-invalid=true]');
    if (first) showStep(Number(first.closest('section[data-step]').dataset.step));
  }

  // --- steps ---------------------------------------------------------------------------------
  function showStep(n) {
    step = n;
    form.querySelectorAll('section[data-step]').forEach((s) => (s.hidden = Number(s.dataset.step) !== n));
    document
      .querySelectorAll('#langkah li')
      .forEach((li) =>
        Number(li.dataset.step) === n ? li.setAttribute('aria-current', 'step') : li.removeAttribute('aria-current'),
      );
    document.getElementById('kembali').hidden = n === 1;
    document.getElementById('lanjut').hidden = n === 5;
    document.getElementById('ajukan').hidden = n !== 5;
    if (n === 4) renderDocuments();
    if (n === 5) renderSummary();
    form.querySelector(`section[data-step="${n}"] h2`).focus?.();
  }

  /** The browser's own checks of the current step, shown the same way as the server's. */
  function stepIsComplete() {
    clearErrors(form);
    const missing = [...form.querySelectorAll(`section[data-step="${step}"] [required]`)].filter(
      (el) => !el.value || (el.pattern && !new RegExp(`^${el.pattern}$`).test(el.value)),
    );
    for (const el of missing) {
      el.setAttribute('aria-invalid', 'true');
      const p = document.createElement('p');
      p.className = 'field-error';
      p.dataset.js = '';
      p.textContent = el.pattern ? t('Isi 16 angka.', 'Enter 16 digits.') : t('Wajib diisi.', 'Required.');
      el.insertAdjacentElement('afterend', p);
    }
    if (missing.length) missing[0].focus();
    return missing.length === 0;
  }

  // --- members -------------------------------------------------------------------------------
  function addMember(m = {}) {
    const node = template.content.firstElementChild.cloneNode(true);
    for (const el of node.querySelectorAll('[data-name]')) {
      const v = m[el.dataset.name];
      if (el.type === 'checkbox') el.checked = Boolean(v);
      else if (v !== undefined) el.value = v;
    }
    node.querySelector('[data-remove]').addEventListener('click', () => {
      node.remove();
      renumber();
    });
    members.append(node);
    renumber();
    return node;
  }

  function renumber() {
    dirty = true;
    [...members.children].forEach((fs, i) => {
      fs.querySelector('[data-number]').textContent = i + 1;
      fs.querySelectorAll('[data-name]').forEach((el) => {
        el.name = `application.members.${i}.${el.dataset.name}`;
        el.id = `m${i}-${el.dataset.name}`;
        const label = el.closest('div, label')?.querySelector('label');
        if (label && label !== el.parentElement) label.htmlFor = el.id;
      });
      fs.querySelector('[data-remove]').hidden = members.children.length === 1;
    });
  }

  // --- live identifier checks -----------------------------------------------------------------
  form.addEventListener('focusout', async (e) => {
    const el = e.target;
    if (!el.dataset || !el.dataset.check || el.value.length === 0) return;
    el.parentElement.querySelectorAll('.field-error[data-live]').forEach((p) => p.remove());
    el.removeAttribute('aria-invalid');
    let problems = [];
    if (!/^\d{16}$/.test(el.value)) problems = [t('Harus 16 angka.', 'Must be 16 digits.')];
    else {
      const res = await fetch('/api/v1/identifiers/check', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ [el.dataset.check]: el.value }),
      });
      const result = (await res.json())[el.dataset.check];
      if (result && !result.valid) problems = result.problems.map((p) => p.message[lang]);
    }
    if (problems.length) {
      el.setAttribute('aria-invalid', 'true');
      const p = document.createElement('p');
      p.className = 'field-error';
      p.dataset.live = '';
      p.dataset.js = '';
      p.textContent = problems.join(' ');
      el.insertAdjacentElement('afterend', p);
    }
  });

  // --- the draft -----------------------------------------------------------------------------
  const body = () => ({ channel: 'ONLINE', ...formToJson(form) });

  async function saveDraft() {
    if ((draft && !dirty) || missingDocuments) return;
    if (!draft) {
      const created = await api('POST', '/api/v1/registrations/mandiri', body());
      draft = { caseId: created.caseId, token: created.resumeToken, version: created.version };
    } else {
      const saved = await api('PUT', `/api/v1/registrations/${draft.caseId}/draft`, body());
      draft.version = saved.version;
    }
    dirty = false;
    localStorage.setItem(STORAGE, JSON.stringify({ caseId: draft.caseId, token: draft.token }));
    const link = `${location.origin}/daftar/lanjut#${draft.caseId}.${draft.token}`;
    const info = document.getElementById('draf-info');
    info.innerHTML = `${t('Draf tersimpan. Simpan tautan ini untuk melanjutkan nanti (jangan dibagikan):', 'Draft saved. Keep this link to resume later (do not share it):')} <a id="tautan-lanjut" href="${link}">${link}</a>`;
    info.hidden = false;
  }

  // --- documents -----------------------------------------------------------------------------
  const kinds = JSON.parse(document.getElementById('dokumen').dataset.kinds);
  let attached = [];

  function requiredDocuments() {
    const people = [...members.children].map((fs) => ({
      name: fs.querySelector('[data-name=fullName]').value,
      relation: fs.querySelector('[data-name=relation]').value,
      birthDate: fs.querySelector('[data-name=birthDate]').value,
    }));
    head = Math.max(
      0,
      people.findIndex((p) => p.relation === 'KEPALA_KELUARGA'),
    );
    const age = (d) => (Date.now() - new Date(d).getTime()) / (365.25 * 86400000);
    return [
      { kind: 'KTP', memberIndex: head, label: `${kinds.KTP[lang]} (${people[head]?.name || ''})` },
      { kind: 'KK', label: kinds.KK[lang] },
      ...people.flatMap((p, i) =>
        p.birthDate && age(p.birthDate) < 17
          ? [{ kind: 'AKTA_KELAHIRAN', memberIndex: i, label: `${kinds.AKTA_KELAHIRAN[lang]}: ${p.name}` }]
          : [],
      ),
      { kind: 'BUKTI_PENGHASILAN', label: kinds.BUKTI_PENGHASILAN[lang] },
      { kind: 'FOTO_RUMAH', label: kinds.FOTO_RUMAH[lang], multiple: true },
      { kind: 'SKTM', label: kinds.SKTM[lang] },
    ];
  }

  function renderDocuments() {
    const box = document.getElementById('dokumen');
    box.replaceChildren();
    requiredDocuments().forEach((doc, i) => {
      const wrap = document.createElement('div');
      const id = `dok-${i}`;
      const have = attached.filter(
        (a) => a.kind === doc.kind && (doc.memberIndex === undefined || a.memberIndex === doc.memberIndex),
      );
      wrap.innerHTML = `<label for="${id}"></label><input id="${id}" type="file" accept="image/jpeg,image/png,application/pdf" ${doc.multiple ? 'multiple' : ''} data-kind="${doc.kind}"><div class="previews"></div>`;
      wrap.querySelector('label').textContent =
        `${doc.label}${have.length ? ` — ✓ ${have.length} ${t('terunggah', 'uploaded')}` : ''}`;
      const input = wrap.querySelector('input');
      input.addEventListener('change', () => upload(doc, input, wrap.querySelector('.previews'), wrap.querySelector('label')));
      box.append(wrap);
    });
  }

  async function upload(doc, input, previews, label) {
    clearErrors(form);
    try {
      await saveDraft();
      for (const file of input.files) {
        const query = `kind=${doc.kind}${doc.memberIndex !== undefined ? `&memberIndex=${doc.memberIndex}` : ''}`;
        const done = await api(
          'POST',
          `/api/v1/registrations/${draft.caseId}/documents?${query}`,
          file,
          file.type || 'application/octet-stream',
        );
        draft.version = done.version;
        attached.push({ kind: doc.kind, memberIndex: doc.memberIndex });
        const fig = document.createElement('figure');
        if (file.type.startsWith('image/')) {
          const img = document.createElement('img');
          img.src = URL.createObjectURL(file);
          img.alt = `${t('Pratinjau', 'Preview')}: ${file.name}`;
          fig.append(img);
        }
        const cap = document.createElement('figcaption');
        cap.textContent = `✓ ${file.name}`;
        fig.append(cap);
        previews.append(fig);
      }
      label.textContent = `${doc.label} — ✓ ${t('terunggah', 'uploaded')}`;
    } catch (err) {
      fail(err);
    }
  }

  // --- review and submit ---------------------------------------------------------------------
  function renderSummary() {
    const b = body().application;
    const box = document.getElementById('ringkasan');
    const esc = (s) =>
      String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
    box.innerHTML = `<dl class="facts"><dt>${t('Desa', 'Village')}</dt><dd>${esc(form.querySelector('[name="application.villageCode"]').selectedOptions[0]?.text)}</dd>
      <dt>${t('Alamat', 'Address')}</dt><dd>${esc(b.address)}</dd><dt>KK</dt><dd class="mono">${esc(b.kkNumber)}</dd>
      <dt>${t('Anggota', 'Members')}</dt><dd>${(b.members || []).map((m) => esc(m.fullName)).join(', ')}</dd>
      <dt>${t('Dokumen', 'Documents')}</dt><dd>${attached.length} ${t('berkas', 'files')}</dd></dl>`;
  }

  async function submit() {
    if (!document.getElementById('setuju').checked) {
      showStatus(form, t('Centang pernyataan kebenaran data terlebih dahulu.', 'Tick the declaration first.'), 'alert');
      return;
    }
    const button = document.getElementById('ajukan');
    button.disabled = true;
    try {
      await saveDraft();
      const done = await api(
        'POST',
        `/api/v1/registrations/${draft.caseId}/${missingDocuments ? 'documents/resubmission' : 'submit'}`,
        {},
      );
      localStorage.removeItem(STORAGE);
      form.hidden = true;
      document.getElementById('langkah').hidden = true;
      const finished = document.getElementById('selesai');
      document.getElementById('nomor-pendaftaran').textContent = done.registrationNumber;
      document.getElementById('tautan-lacak').href =
        `/cek-bansos/pendaftaran?nomor=${encodeURIComponent(done.registrationNumber)}`;
      document.getElementById('hasil-ajukan').textContent =
        done.status === 'PERLU_PERBAIKAN'
          ? t(
              'Pemeriksaan otomatis menemukan data yang perlu diperbaiki. Lacak pendaftaran untuk melihat langkah berikutnya, atau hubungi operator desa.',
              'The automatic checks found data to correct. Track the registration for the next step, or contact the village operator.',
            )
          : t(
              'Pendaftaran lolos pemeriksaan otomatis dan sedang diperiksa petugas desa.',
              'The registration passed the automatic checks and is with the village staff.',
            );
      finished.hidden = false;
      finished.querySelector('h2').tabIndex = -1;
      finished.querySelector('h2').focus();
    } catch (err) {
      fail(err);
    } finally {
      button.disabled = false;
    }
  }

  // --- resume --------------------------------------------------------------------------------
  async function resume() {
    const [caseId, token] = location.hash.slice(1).split('.');
    if (!caseId || !token)
      return showStatus(form, t('Tautan lanjutan tidak lengkap.', 'The resume link is incomplete.'), 'alert');
    draft = { caseId, token, version: 0 };
    try {
      const view = await api('GET', `/api/v1/registrations/${caseId}`);
      missingDocuments = view.status === 'DATA_TIDAK_LENGKAP';
      if (view.status !== 'DRAFT' && view.status !== 'PERLU_PERBAIKAN' && !missingDocuments) {
        location.href = view.registrationNumber
          ? `/cek-bansos/pendaftaran?nomor=${encodeURIComponent(view.registrationNumber)}`
          : '/cek-bansos/pendaftaran';
        return;
      }
      draft.version = view.version;
      fill(view.application);
      dirty = false;
      attached = view.documents.map((d) => ({ kind: d.kind, memberIndex: d.memberIndex }));
      const info = document.getElementById('draf-info');
      const missing = view.missingDocuments.map((m) => m.message[lang]).join('; ');
      info.textContent = missingDocuments
        ? `${t('Petugas desa mencatat dokumen belum lengkap', 'The village office found documents missing')}${missing ? `: ${missing}` : ''}. ${t('Unggah yang kurang, lalu kirim ulang di langkah terakhir.', 'Upload what is missing, then resubmit at the last step.')}`
        : t('Draf Anda dimuat. Lanjutkan pengisian.', 'Your draft is loaded. Continue where you left off.');
      info.hidden = false;
      if (missingDocuments) {
        document.getElementById('simpan').hidden = true;
        document.getElementById('ajukan').textContent = t('Kirim ulang dokumen', 'Resubmit the documents');
        showStep(4);
      }
    } catch (err) {
      draft = null;
      if (err && err.status === 404)
        showStatus(form, t('Draf tidak ditemukan atau kode akses salah.', 'Draft not found or wrong access code.'), 'alert');
      else fail(err);
    }
  }

  function fill(app) {
    for (const el of form.querySelectorAll('[name^="application."]')) {
      const value = el.name
        .split('.')
        .slice(1)
        .reduce((o, k) => (o == null ? undefined : o[k]), app);
      if (value !== undefined && !el.name.startsWith('application.members') && el.name !== 'application.villageCode')
        el.value = value;
    }
    members.replaceChildren();
    (app.members.length ? app.members : [{}]).forEach((m) => addMember(m));
    window.bansosWilayah.choose(form.querySelector('[data-cascade]'), app.villageCode);
  }

  form.addEventListener('input', (e) => {
    if (e.target.type !== 'file') dirty = true;
  });

  // --- wiring --------------------------------------------------------------------------------
  document.getElementById('tambah-anggota').addEventListener('click', () => addMember().querySelector('input').focus());
  document.getElementById('lanjut').addEventListener('click', () => stepIsComplete() && showStep(step + 1));
  document.getElementById('kembali').addEventListener('click', () => showStep(step - 1));
  document.getElementById('ajukan').addEventListener('click', submit);
  document.getElementById('simpan').addEventListener('click', async () => {
    clearErrors(form);
    try {
      await saveDraft();
    } catch (err) {
      fail(err);
    }
  });
  addMember({ relation: 'KEPALA_KELUARGA', maritalStatus: 'KAWIN' });
  if (form.dataset.resuming) resume();
})();
