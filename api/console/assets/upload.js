/* 昆明市市级劳务品牌项目库 — resumable uploads of an application's materials.
   A form with data-upload="/holder/applications/ID/uploads" sends its file
   in pieces of data-part bytes, each with its offset (XMLHttpRequest, for
   the progress bar). The server keeps the pieces: after a broken connection
   the same file continues where the server's count ends, and choosing the
   same file again after a closed browser does too. Without script the form
   posts the whole file in one request. */
(function () {
  if (window.lbUpload) return;
  window.lbUpload = true;

  function post(url, data, onProgress) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      xhr.setRequestHeader('Accept', 'application/json');
      if (onProgress) xhr.upload.onprogress = function (e) { onProgress(e.loaded); };
      xhr.onload = function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
        resolve({ status: xhr.status, body: body });
      };
      xhr.onerror = xhr.onabort = xhr.ontimeout = function () { resolve({ status: 0, body: {} }); };
      xhr.send(data);
    });
  }

  function wait(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  async function upload(form, file) {
    var bar = form.querySelector('progress');
    var state = form.querySelector('[data-state]');
    var error = form.querySelector('[data-error]');
    var button = form.querySelector('button[type=submit]');
    var base = form.getAttribute('data-upload');
    var part = parseInt(form.getAttribute('data-part'), 10);
    var csrf = form.elements.csrf.value;
    function say(text) { state.textContent = text; }
    function fail(text) { error.textContent = text; error.hidden = false; button.disabled = false; say(''); }
    error.hidden = true;
    button.disabled = true;
    bar.hidden = false;
    bar.max = file.size;
    bar.value = 0;
    say('正在准备上传…');
    var start = new FormData();
    start.append('csrf', csrf);
    start.append('kind', form.elements.kind.value);
    start.append('name', file.name);
    start.append('size', String(file.size));
    start.append('fingerprint', file.name + '|' + file.size + '|' + file.lastModified);
    var r = await post(base, start);
    function finish(body) {
      say('上传完成');
      window.location.assign(form.getAttribute('data-done') + encodeURIComponent(body.attachment.name));
    }
    if (r.status === 201 && r.body.done) { finish(r.body); return; } // every byte came before
    if (r.status !== 200) { fail(r.body.error || '无法开始上传，请稍后重试'); return; }
    var id = r.body.id, offset = r.body.received, retries = 0;
    if (offset > 0) say('继续上次的上传…');
    while (offset < file.size) {
      var piece = new FormData();
      piece.append('csrf', csrf);
      piece.append('offset', String(offset));
      piece.append('piece', file.slice(offset, offset + part), 'piece');
      var from = offset;
      r = await post(base + '/' + id, piece, function (loaded) {
        bar.value = Math.min(file.size, from + loaded);
        say('已上传 ' + Math.floor(100 * bar.value / file.size) + '%');
      });
      if (r.status === 0 || r.status === 503) { // the network or the server: wait, ask again
        if (++retries > 8) { fail('网络中断，上传已暂停。再次选择同一文件并上传，将从中断处继续。'); return; }
        say('网络中断，正在重试…');
        await wait(1000 * retries);
        continue;
      }
      retries = 0;
      if (r.status === 409 && typeof r.body.received === 'number') { offset = r.body.received; continue; }
      if (r.status >= 400) { fail(r.body.error || '上传失败，请重试'); return; }
      offset = r.body.received;
      bar.value = offset;
      if (r.body.done) { finish(r.body); return; }
    }
  }

  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!form.matches || !form.matches('form[data-upload]')) return;
    var input = form.querySelector('input[type=file]');
    if (!input.files || !input.files.length || !window.FormData || !window.Promise) return; // the server says what is missing
    ev.preventDefault();
    upload(form, input.files[0]);
  });
})();
