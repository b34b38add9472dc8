/* Balai: a quiz attempt that loses nothing on a weak signal.
   Each answer is kept in localStorage as it changes and sent to the server; it is marked
   "saved" only when the server confirms. Unsent answers are resent when the phone is online
   again, and a reload (even offline, through offline-worker.js) puts every answer back.
   Without this script the form still submits every answer at once. */
(function () {
  "use strict";
  var CACHE = "balai-attempts";
  var done = document.getElementById("quiz-done");
  if (done) {  // the result page: the attempt is over, forget what this phone kept of it
    forget(done.dataset.attempt, done.dataset.attemptUrl);
    return;
  }
  var form = document.getElementById("quiz");
  if (!form || !form.dataset.saveUrl) return;
  var key = "balai-attempt-" + form.dataset.attempt;
  var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var store = read(key) || {};  // question id -> {a: answer, s: 0 unsent, 1 saved, 2 refused}
  var sending = false, retry = null;

  function read(name) {
    try { return JSON.parse(localStorage.getItem(name)); } catch (e) { return null; }
  }
  function write(name, value) {
    try { localStorage.setItem(name, JSON.stringify(value)); } catch (e) { /* full or private mode */ }
  }
  function forget(attempt, url) {
    try { localStorage.removeItem("balai-attempt-" + attempt); localStorage.removeItem("balai-attempt-" + attempt + "-clock"); } catch (e) { /* nothing kept */ }
    if (window.caches && url) caches.open(CACHE).then(function (cache) { cache.delete(url); });
  }
  function fieldset(id) { return form.querySelector('fieldset[data-question="' + id + '"]'); }

  function answerOf(box) {
    var kind = box.dataset.kind, inputs = box.querySelectorAll("input,textarea"), picked = [];
    if (kind === "short_answer" || kind === "free_text") return inputs[0].value.trim() || null;
    for (var i = 0; i < inputs.length; i++) if (inputs[i].checked) picked.push(inputs[i].value);
    if (kind === "multiple_choice") return picked.length ? picked.map(Number).sort(function (a, b) { return a - b; }) : null;
    if (!picked.length) return null;
    return kind === "true_false" ? picked[0] === "true" : Number(picked[0]);
  }
  function show(box, answer) {
    var inputs = box.querySelectorAll("input,textarea"), values = answer === null ? [] : [].concat(answer).map(String);
    if (box.dataset.kind === "short_answer" || box.dataset.kind === "free_text") { inputs[0].value = answer || ""; return; }
    for (var i = 0; i < inputs.length; i++) inputs[i].checked = values.indexOf(inputs[i].value) !== -1;
  }
  function mark(id, state, text) {
    var note = form.querySelector('[data-state-for="' + id + '"]');
    if (!note) return;
    note.textContent = text || form.dataset[state];
    note.className = "save-state " + state;
  }

  function changed(box) {
    var id = box.dataset.question;
    store[id] = {a: answerOf(box), s: 0};
    write(key, store);
    mark(id, "unsaved");
    send();
  }
  function later() {
    if (!retry) retry = setTimeout(function () { retry = null; send(); }, 5000);
  }
  function send() {
    if (sending) return;
    if (navigator.onLine === false) { later(); return; }  // false is certain (true is not): wait for "online"
    var id = Object.keys(store).filter(function (k) { return store[k].s === 0; })[0];
    if (!id) return;
    var answer = store[id].a, body = JSON.stringify({question: Number(id), answer: answer});
    sending = true;
    fetch(form.dataset.saveUrl, {
      method: "POST", credentials: "same-origin", body: body,
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token}
    }).then(function (response) {
      return response.json().then(function (data) { return {status: response.status, data: data}; });
    }).then(function (reply) {
      sending = false;
      var same = store[id] && JSON.stringify(store[id].a) === JSON.stringify(answer);
      if (reply.data.saved) {
        if (same) { store[id].s = 1; write(key, store); mark(id, "saved"); }
        send();
      } else if (reply.status === 409 && reply.data.result_url) {
        forget(form.dataset.attempt, location.href);
        location.assign(reply.data.result_url);
      } else if (reply.status === 400) {
        if (same) { store[id].s = 2; write(key, store); mark(id, "refused", reply.data.error); }
        send();
      } else { later(); }
    }).catch(function () { sending = false; later(); });  // offline, or not JSON (a login page): try again
  }

  Object.keys(store).forEach(function (id) {
    var box = fieldset(id);
    if (!box) { delete store[id]; return; }
    show(box, store[id].a);
    mark(id, store[id].s === 1 ? "saved" : "unsaved");
  });
  var typing = {};
  form.addEventListener("change", function (event) {
    var box = event.target.closest("fieldset[data-question]");
    if (box) changed(box);
  });
  form.addEventListener("input", function (event) {
    var box = event.target.closest("fieldset[data-question]");
    if (!box || event.target.type === "radio" || event.target.type === "checkbox") return;
    clearTimeout(typing[box.dataset.question]);
    typing[box.dataset.question] = setTimeout(function () { changed(box); }, 800);
  });
  form.addEventListener("submit", function (event) {
    var note = document.getElementById("offline-note");
    note.hidden = navigator.onLine !== false;
    if (!note.hidden) event.preventDefault();  // a navigation offline would show the browser's error page
  });
  document.querySelectorAll('form[action$="/keluar/"]').forEach(function (logout) {
    logout.addEventListener("submit", function () { forget(form.dataset.attempt, location.href); });
  });
  window.addEventListener("online", send);
  send();

  // The time left, from the server's deadline; the server's clock, not the phone's, decides.
  var timer = document.getElementById("timer");
  if (timer && timer.dataset.deadline) {
    var clock = read(key + "-clock");
    if (!clock || clock.now !== timer.dataset.now) {  // a fresh page, not one kept for offline
      clock = {now: timer.dataset.now, offset: Date.parse(timer.dataset.now) - Date.now()};
      write(key + "-clock", clock);
    }
    var deadline = Date.parse(timer.dataset.deadline), out = timer.querySelector("output");
    timer.hidden = false;
    var tick = function () {
      var left = Math.max(0, Math.floor((deadline - Date.now() - clock.offset) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      out.textContent = (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (s < 10 ? "0" : "") + s;
      if (left > 0) return setTimeout(tick, 1000);
      timer.classList.add("over");
      if (navigator.onLine !== false) form.submit();  // what was saved is scored; the server checks the time
    };
    tick();
  }

  // Keep this page for an offline reload: a worker serves the last copy when the network fails.
  if ("serviceWorker" in navigator && window.caches && form.dataset.worker) {
    navigator.serviceWorker.register(form.dataset.worker).then(function () {
      if (navigator.serviceWorker.controller) return;  // the worker already keeps what passes through it
      var urls = [location.href];
      document.querySelectorAll('link[rel="stylesheet"],script[src]').forEach(function (node) { urls.push(node.href || node.src); });
      return caches.open(CACHE).then(function (cache) { return cache.addAll(urls); });
    }).catch(function () { /* no worker: answers are still kept in localStorage */ });
  }
}());
