/* 昆明市市级劳务品牌项目库 — the import's progress bar. A form with
   data-import-progress="/import/progress?sheet=…" posts itself in the
   background and, while the import runs, asks that address once a second
   how far it has come; the answer's page then replaces the main content.
   Without script the form posts as usual and the answer shows the outcome. */
(function () {
  if (window.lbImport) return;
  window.lbImport = true;

  function wait(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  async function run(form) {
    var bar = form.querySelector('progress');
    var state = form.querySelector('[data-state]');
    var error = form.querySelector('[data-error]');
    var button = form.querySelector('button[type=submit]');
    var answered = false;
    error.hidden = true;
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    state.textContent = '正在开始导入…';
    var answer = fetch(form.action, { method: 'POST', body: new FormData(form), credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (r) { return r.text().then(function (html) { return { ok: true, status: r.status, html: html }; }); },
            function () { return { ok: false }; })
      .then(function (r) { answered = true; return r; });
    while (!answered) {
      try {
        var r = await fetch(form.getAttribute('data-import-progress'), { credentials: 'same-origin', headers: { Accept: 'application/json' } });
        if (r.ok && !answered) {
          var p = await r.json();
          // 100% is the import's answer's to show: an earlier run of the same sheet may read done.
          bar.value = Math.max(bar.value, Math.min(99, p.percent));
          state.textContent = p.text + '（' + bar.value + '%）';
        }
      } catch (e) { /* the next ask may succeed */ }
      if (!answered) await Promise.race([wait(1000), answer]);
    }
    var done = await answer;
    if (!done.ok) {
      error.textContent = '网络中断，未收到导入结果。已导入的不会重复：请刷新后重新上传同一张表检查。';
      error.hidden = false;
      button.disabled = false;
      return;
    }
    var page = new DOMParser().parseFromString(done.html, 'text/html');
    var main = page.querySelector('main');
    document.querySelector('main').innerHTML = main ? main.innerHTML : done.html;
    if (page.title) document.title = page.title;
  }

  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!form.matches || !form.matches('form[data-import-progress]') || !window.fetch || !window.FormData || !window.DOMParser) return;
    ev.preventDefault();
    run(form);
  });
})();
