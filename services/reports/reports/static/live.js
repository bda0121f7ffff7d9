// Live notifications on the reports page: a server-sent event stream adds new notifications
// and keeps the unread count current. The server ends the stream every few minutes by design,
// and at once when it restarts, with a last "reconnect" event; when the stream reconnects, its
// first "unread" event makes the page re-read the list, so nothing is missed.
(function () {
  "use strict";
  var section = document.getElementById("notif-section");
  if (!section || !window.EventSource || !window.fetch) {
    return;
  }
  var badge = document.getElementById("unread-count");
  var markAll = document.getElementById("mark-all");
  var opened = 0;

  // The badge's texts for the plural categories of the page's language (French: 0 and 1 are
  // "one"); the server wrote each form from the catalog with "{count}" in place of the number.
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang) : null;

  function setUnread(count) {
    var category = plurals ? plurals.select(count) : count === 1 ? "one" : "other";
    var template = category === "one" ? badge.dataset.one : badge.dataset.other;
    badge.textContent = template.replace("{count}", String(count));
    if (markAll) {
      markAll.hidden = count === 0;
    }
  }

  function list() {
    var ul = document.getElementById("notifications");
    if (!ul) {
      ul = document.createElement("ul");
      ul.id = "notifications";
      var none = document.getElementById("notifications-none");
      if (none) {
        none.replaceWith(ul);
      } else {
        section.insertBefore(ul, markAll);
      }
    }
    return ul;
  }

  function item(n) {
    var li = document.createElement("li");
    li.dataset.notification = n.id;
    if (!n.read) {
      li.className = "unread";
    }
    var title = document.createElement("strong");
    // Only same-origin paths become links: never "//host", "javascript:" or another origin.
    if (typeof n.url === "string" && /^\/[^\/\\]/.test(n.url)) {
      var link = document.createElement("a");
      link.href = n.url;
      link.textContent = n.title;
      title.append(link);
    } else {
      title.textContent = n.title;
    }
    var when = document.createElement("span");
    when.className = "muted";
    when.textContent = String(n.created_at).slice(0, 16).replace("T", " ");
    li.append(title, " \u2014 " + n.body + " ", when);
    return li;
  }

  function add(n) {
    var ul = list();
    var known = ul.querySelector('[data-notification="' + CSS.escape(n.id) + '"]');
    if (!known) {
      ul.prepend(item(n));
    }
  }

  function reread() {
    fetch(section.dataset.list, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (page) {
        if (!page) {
          return;
        }
        if (page.items.length) {
          list().replaceChildren.apply(list(), page.items.map(item));
        }
        setUnread(page.unread);
      })
      .catch(function () { /* the next reconnect tries again */ });
  }

  function connect() {
    var source = new EventSource(section.dataset.stream);
    source.addEventListener("unread", function (event) {
      section.dataset.live = "open";  // the stream is up (also what the browser test waits for)
      opened += 1;
      if (opened > 1) {
        reread();
      } else {
        setUnread(JSON.parse(event.data).unread);
      }
    });
    source.addEventListener("notification", function (event) {
      var n = JSON.parse(event.data);
      add(n);
      setUnread(n.unread);
    });
    source.addEventListener("reconnect", function () {
      // The server ends the stream (its lifetime is over, or it is restarting): the browser
      // reconnects by itself after the "retry" delay the event carries.
      section.dataset.live = "reconnecting";
    });
    source.addEventListener("error", function () {
      // The browser reconnects by itself after a dropped stream; a refused one (503: too many
      // streams, 401: signed out) is closed for good, so try again later.
      section.dataset.live = "reconnecting";
      if (source.readyState === EventSource.CLOSED) {
        window.setTimeout(connect, 15000);
      }
    });
  }

  connect();
})();
