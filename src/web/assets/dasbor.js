// The dashboard's four charts, drawn by Chart.js from the figures the page embeds.
(function () {
  const f = JSON.parse(document.getElementById('angka').textContent);
  const t = window.bansos.t;
  const colours = ['#0b5394', '#d39200', '#1e6b34', '#a4161a', '#6a4c93', '#1982c4', '#8ac926', '#ff595e', '#4d5b6b', '#ffca3a'];
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.maintainAspectRatio = false;

  const open = f.cases.filter((c) => c.open);
  const types = [...new Set(open.map((c) => c.caseType))];
  const stages = [...new Set(open.map((c) => c.stage))];
  new Chart(document.getElementById('grafik-tahap'), {
    type: 'bar',
    data: {
      labels: stages,
      datasets: types.map((type, i) => ({
        label: type,
        backgroundColor: colours[i],
        data: stages.map((s) => open.find((c) => c.stage === s && c.caseType === type)?.count ?? 0),
      })),
    },
    options: {
      indexAxis: 'y',
      scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
    },
  });

  const late = f.sla.closed - f.sla.closedOnTime;
  new Chart(document.getElementById('grafik-sla'), {
    type: 'doughnut',
    data: {
      labels: [
        t('Selesai tepat waktu', 'Closed on time'),
        t('Selesai terlambat', 'Closed late'),
        t('Terbuka, sesuai SLA', 'Open, on time'),
        t('Terbuka, terlambat', 'Open, overdue'),
      ],
      datasets: [
        {
          data: [f.sla.closedOnTime, late, f.sla.open - f.sla.openOverdue, f.sla.openOverdue],
          backgroundColor: ['#1e6b34', '#d39200', '#1982c4', '#a4161a'],
        },
      ],
    },
  });

  new Chart(document.getElementById('grafik-program'), {
    type: 'bar',
    data: {
      labels: f.programs.map((p) => p.program),
      datasets: [
        { label: t('Kuota', 'Quota'), backgroundColor: '#9aa7b5', data: f.programs.map((p) => p.quota) },
        { label: t('Penerima', 'Enrolled'), backgroundColor: '#1e6b34', data: f.programs.map((p) => p.enrolled) },
        { label: t('Daftar tunggu', 'Waitlisted'), backgroundColor: '#d39200', data: f.programs.map((p) => p.waitlisted) },
      ],
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });

  new Chart(document.getElementById('grafik-desil'), {
    type: 'bar',
    data: {
      labels: Array.from({ length: 10 }, (_, i) => `${t('Desil', 'Decile')} ${i + 1}`),
      datasets: [
        {
          label: t('Rumah tangga', 'Households'),
          backgroundColor: '#0b5394',
          data: Array.from({ length: 10 }, (_, i) => f.classification.byDesil.find((d) => d.desil === i + 1)?.households ?? 0),
        },
      ],
    },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
})();
