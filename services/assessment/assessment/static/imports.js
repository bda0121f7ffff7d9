// Bulk answers: the upload form is sent to the API (the pages' own forms are limited to small
// bodies), and the job page follows the import from the API until it is finished.
(function () {
  "use strict";
  var csrf = decodeURIComponent((document.cookie.match(/(?:^|; )sc_csrf=([^;]*)/) || [])[1] || "");
  var FINISHED = ["succeeded", "completed_with_errors", "rejected", "failed"];

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function messages(errors, prefix, out) {
    // Validation errors: {"field": ["message", ...]}, possibly nested ({"json": {...}}).
    if (!errors) return out;
    if (typeof errors === "string") { out.push(prefix && prefix !== "file" ? prefix + ": " + errors : errors); return out; }
    if (Array.isArray(errors)) {
      errors.forEach(function (item) { messages(item, prefix, out); });
      return out;
    }
    Object.keys(errors).forEach(function (key) {
      var inner = /^(json|form|files|query|_schema)$/.test(key) ? prefix : key;
      messages(errors[key], inner, out);
    });
    return out;
  }

  // -- the upload form --------------------------------------------------------------------------
  var form = document.getElementById("import-form");
  if (form && window.fetch && window.FormData) {
    var alertBox = document.getElementById("import-alert");
    var status = document.getElementById("import-status");
    var button = document.getElementById("import-send");
    var input = document.getElementById("import-files");

    var showProblem = function (title, detail, list) {
      alertBox.textContent = "";
      var heading = document.createElement("p");
      var strong = document.createElement("strong");
      strong.textContent = title;
      heading.appendChild(strong);
      alertBox.appendChild(heading);
      if (detail) {
        var more = document.createElement("p");
        more.textContent = detail;
        alertBox.appendChild(more);
      }
      if (list && list.length) {
        var ul = document.createElement("ul");
        list.forEach(function (text) {
          var li = document.createElement("li");
          li.textContent = text;
          ul.appendChild(li);
        });
        alertBox.appendChild(ul);
      }
      alertBox.hidden = false;
    };

    var done = function () {
      button.disabled = false;
      status.textContent = "";
    };

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      alertBox.hidden = true;
      if (!input.files.length) {
        showProblem(form.dataset.noFile);
        input.focus();
        return;
      }
      var headers = {"Accept": "application/json", "X-CSRF-Token": csrf};
      if (window.crypto && window.crypto.randomUUID) headers["Idempotency-Key"] = window.crypto.randomUUID();
      var body = new FormData(form);
      button.disabled = true;
      status.textContent = form.dataset.sending;
      fetch(form.dataset.api, {method: "POST", body: body, credentials: "same-origin", headers: headers})
        .then(function (response) {
          return response.text().then(function (text) {
            var data = null;
            try { data = JSON.parse(text); } catch (ignored) { data = null; }
            if (response.status === 202 && data && data.id) {
              window.location.assign(form.dataset.jobPage.replace("__job__", encodeURIComponent(data.id)));
              return;
            }
            done();
            if (data && (data.title || data.detail)) {
              showProblem(data.title || form.dataset.failed, data.detail, messages(data.errors, "", []));
            } else {
              showProblem(form.dataset.failed, "HTTP " + response.status);
            }
          });
        })
        .catch(function () {
          done();
          showProblem(form.dataset.failed, form.dataset.network);
        });
    });
  }

  // -- the job page -----------------------------------------------------------------------------
  var job = document.getElementById("import-job");
  if (!job) return;
  var texts = {
    statuses: JSON.parse(job.dataset.statuses || "{}"),
    explains: JSON.parse(job.dataset.explains || "{}")
  };
  var bar = document.getElementById("job-progress");

  function setBar(percent) {
    // The width is set here, not in a style attribute: the Content-Security-Policy forbids those.
    if (percent === null || percent === undefined) {
      bar.removeAttribute("aria-valuenow");
      bar.firstElementChild.style.width = "0";
    } else {
      bar.setAttribute("aria-valuenow", String(percent));
      bar.firstElementChild.style.width = percent + "%";
    }
  }
  setBar(bar.hasAttribute("aria-valuenow") ? parseInt(bar.getAttribute("aria-valuenow"), 10) : null);

  function setText(id, text) {
    var node = document.getElementById(id);
    if (node && node.textContent !== text) node.textContent = text;  // no repeated announcements
  }

  function update(data) {
    var p = data.progress;
    setText("job-status", texts.statuses[data.status] || data.status);
    setText("job-explain", texts.explains[data.status] || "");
    var rows = p.rows_total === null
      ? fill(job.dataset.rowsUnknown, {done: p.rows_done})
      : fill(job.dataset.rows, {done: p.rows_done, total: p.rows_total});
    setText("job-rows", rows);
    setText("job-percent", p.percent === null ? "" : " (" + p.percent + " %)");
    setText("job-errors", fill(job.dataset.errors, {count: p.errors}));
    bar.setAttribute("aria-valuetext", rows);
    setBar(p.percent);
    job.dataset.status = data.status;
  }

  function showProblems(items, total) {
    var section = document.getElementById("job-problems");
    var body = section.querySelector("tbody");
    body.textContent = "";
    items.forEach(function (item) {
      var tr = document.createElement("tr");
      [item.file, item.sheet, item.row || "", item.column, item.message].forEach(function (value) {
        var td = document.createElement("td");
        td.textContent = value === null || value === undefined ? "" : String(value);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    var more = document.getElementById("job-more");
    more.textContent = fill(job.dataset.more, {shown: items.length, total: total});
    more.hidden = !(total > items.length);
    section.hidden = items.length === 0;
  }

  function finish(data) {
    var p = data.progress;
    job.dataset.finished = "true";
    if (data.status === "failed") {  // the reason is worded by the server
      window.location.reload();
      return;
    }
    setText("job-stored", fill(job.dataset.stored, {count: p.answers_stored}));
    setText("job-problems-count", fill(job.dataset.problems, {count: p.errors}));
    document.getElementById("job-reports").hidden = !p.errors;
    document.getElementById("job-finished").hidden = false;
    if (!p.errors) return;
    fetch(job.dataset.problemsApi, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) return;
        var total = parseInt(response.headers.get("X-Total-Count") || "0", 10);
        return response.json().then(function (items) { showProblems(items, Math.max(total, items.length)); });
      })
      .catch(function () { /* the error report links remain */ });
  }

  var delay = 1000;
  function poll() {
    fetch(job.dataset.api, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        delay = 1000;
        update(data);
        if (FINISHED.indexOf(data.status) >= 0) finish(data);
        else window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 10000);  // the server is away: ask less often
        window.setTimeout(poll, delay);
      });
  }
  if (job.dataset.finished !== "true" && window.fetch) window.setTimeout(poll, delay);
})();
