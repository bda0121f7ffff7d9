// Invitation helper: offers the administration's people (from the portal, through the gateway,
// with the user's own session) instead of typing a user id. Without script the fields still work.
(function () {
  "use strict";
  var form = document.getElementById("invite-form");
  if (!form || !window.fetch) return;
  fetch(form.dataset.usersApi, {credentials: "same-origin", headers: {"Accept": "application/json"}})
    .then(function (response) { return response.ok ? response.json() : []; })
    .then(function (users) {
      if (!users.length) return;
      var label = document.createElement("label");
      label.htmlFor = "user-picker";
      label.textContent = form.dataset.pickLabel;
      var select = document.createElement("select");
      select.id = "user-picker";
      select.appendChild(document.createElement("option"));
      users.forEach(function (user) {
        var option = document.createElement("option");
        option.value = user.id;
        option.textContent = (user.display_name || user.email) + " <" + user.email + ">";
        option.dataset.name = user.display_name || user.email;
        option.dataset.email = user.email || "";
        select.appendChild(option);
      });
      select.addEventListener("change", function () {
        var chosen = select.options[select.selectedIndex];
        document.getElementById("user_id").value = chosen.value;
        document.getElementById("name").value = chosen.dataset.name || "";
        document.getElementById("email").value = chosen.dataset.email || "";
      });
      var first = form.querySelector("label[for=user_id]");
      form.insertBefore(select, first);
      form.insertBefore(label, select);
    })
    .catch(function () { /* the plain fields remain */ });
})();
