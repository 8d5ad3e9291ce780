// The region cascade: choosing a province loads its regencies, and so on down to the villages.
(function () {
  async function loadChildren(select, next) {
    for (const below of select.closest('[data-cascade]').querySelectorAll('select')) {
      if (Number(below.dataset.level) > Number(select.dataset.level)) below.length = 1;
    }
    if (!next || !select.value) return;
    next.disabled = true;
    try {
      for (let page = 1; ; page++) {
        const res = await fetch(`/api/v1/regions?parent=${encodeURIComponent(select.value)}&pageSize=200&page=${page}`);
        const body = await res.json();
        for (const r of body.items) next.add(new Option(r.name, r.code));
        if (page * body.pageSize >= body.total) break;
      }
    } finally {
      next.disabled = false;
    }
  }

  const selectsOf = (box) => [...box.querySelectorAll('select')];

  for (const box of document.querySelectorAll('[data-cascade]')) {
    const selects = selectsOf(box);
    selects.forEach((select, i) => select.addEventListener('change', () => loadChildren(select, selects[i + 1])));
  }

  /** Selects a village (e.g. a resumed draft's) with each level above it. */
  async function choose(box, villageCode) {
    if (!villageCode) return;
    const parts = villageCode.split('.');
    const selects = selectsOf(box);
    for (let i = 0; i < selects.length && i < parts.length; i++) {
      selects[i].value = parts.slice(0, i + 1).join('.');
      if (i < selects.length - 1) await loadChildren(selects[i], selects[i + 1]);
    }
  }

  window.bansosWilayah = { choose };
})();
