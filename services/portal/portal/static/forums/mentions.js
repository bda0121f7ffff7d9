// Mentions picker of the forum reply form: looks forum members up by the start of their name
// (GET /api/v1/portal/forums/members?q=, with the reader's own session) and adds each one
// chosen as a checked "mentions" box, which the form posts. Without script the form still
// works: it posts the boxes already there (none, or those of a refused reply).
(function () {
  "use strict";
  var picker = document.getElementById("mentions-picker");
  if (!picker || !window.fetch) return;
  var search = document.getElementById("mention-search");
  var results = document.getElementById("mention-results");
  var status = document.getElementById("mention-status");
  var chosen = document.getElementById("mentions-chosen");
  var max = parseInt(picker.dataset.max, 10) || 10;
  var timer = null;
  var asked = 0;

  function boxes() {
    return Array.prototype.slice.call(chosen.querySelectorAll("input[name=mentions]"));
  }

  function described(member) {
    return member.administration ? member.name + " (" + member.administration + ")" : member.name;
  }

  function clear() {
    while (results.firstChild) results.removeChild(results.firstChild);
  }

  function choose(member) {
    var box = boxes().filter(function (b) { return b.value === member.id; })[0];
    if (!box) {
      if (boxes().filter(function (b) { return b.checked; }).length >= max) {
        status.textContent = picker.dataset.full;
        return;
      }
      var item = document.createElement("li");
      var label = document.createElement("label");
      box = document.createElement("input");
      box.type = "checkbox";
      box.name = "mentions";
      box.value = member.id;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + described(member)));
      item.appendChild(label);
      chosen.appendChild(item);
    }
    box.checked = true;
    clear();
    search.value = "";
    status.textContent = picker.dataset.added.replace("{name}", member.name);
    search.focus();
  }

  function show(members) {
    clear();
    members.forEach(function (member) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link mention-choice";
      button.textContent = described(member);
      button.addEventListener("click", function () { choose(member); });
      item.appendChild(button);
      results.appendChild(item);
    });
    status.textContent = members.length
      ? picker.dataset.found.replace("{count}", String(members.length))
      : picker.dataset.none;
  }

  function lookup() {
    var query = search.value.trim();
    var mine = ++asked;
    if (!query) {
      clear();
      status.textContent = "";
      return;
    }
    fetch(picker.dataset.lookup + "?q=" + encodeURIComponent(query), {
      credentials: "same-origin",
      headers: {"Accept": "application/json"}
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (members) { if (mine === asked) show(members); })
      .catch(function () { if (mine === asked) status.textContent = picker.dataset.failed; });
  }

  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 200);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault(); // Enter picks the first member found, it does not post the reply
    var first = results.querySelector("button");
    if (first) first.click();
  });
  picker.querySelector(".picker").hidden = false;
})();
