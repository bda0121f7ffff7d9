// Autosave: each answer is saved as soon as it changes; the form still works without script.
(function () {
  "use strict";
  var form = document.getElementById("questionnaire");
  if (!form) return;
  var api = form.dataset.api;
  var csrf = (document.cookie.match(/(?:^|; )sc_csrf=([^;]*)/) || [])[1] || "";
  var timers = {};

  function collect(fieldset) {
    var key = fieldset.dataset.indicator;
    var checked = fieldset.querySelector("input[type=radio]:checked");
    if (!checked) return null;
    var value = /^[1-5]$/.test(checked.value) ? parseInt(checked.value, 10) : checked.value;
    return {
      value: value,
      confidence: fieldset.querySelector("select").value || null,
      comment: document.getElementById("comment-" + key).value,
      evidence: document.getElementById("evidence-" + key).value
    };
  }

  function updateProgress() {
    var sets = form.querySelectorAll("fieldset.indicator");
    var done = 0;
    sets.forEach(function (fs) { if (fs.querySelector("input[type=radio]:checked")) done++; });
    var bar = document.getElementById("area-progress");
    bar.setAttribute("aria-valuenow", done);
    bar.firstElementChild.style.width = Math.round(100 * done / sets.length) + "%";
    var text = document.getElementById("progress-text");
    text.textContent = text.dataset.template.replace("{done}", done).replace("{total}", sets.length);
  }

  function save(fieldset) {
    var body = collect(fieldset);
    if (!body) return;
    var status = fieldset.querySelector(".status");
    status.textContent = form.dataset.saving;
    fetch(api + encodeURIComponent(fieldset.dataset.indicator), {
      method: "PUT",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": decodeURIComponent(csrf)},
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.ok) { status.textContent = form.dataset.saved; fieldset.dataset.saved = "1"; return; }
      return response.json().then(function (problem) {
        status.textContent = form.dataset.failed.replace("{reason}", problem.title || response.status);
      });
    }).catch(function () {
      status.textContent = form.dataset.failed.replace("{reason}", "network");
    });
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.indicator");
    if (!fieldset) return;
    updateProgress();
    clearTimeout(timers[fieldset.dataset.indicator]);
    timers[fieldset.dataset.indicator] = setTimeout(function () { save(fieldset); }, 150);
  });
})();
