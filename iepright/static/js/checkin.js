// Check-in page: a status tap saves at once with fetch(), without reloading the page.
// Without this file every button is a plain form submit and the page works the same way.
(function () {
  "use strict";

  var live = null;

  function announce(text) {
    if (!live) return;
    // Clear first so the same words ("Saved") are announced again on the next tap.
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function buttons(form) {
    return Array.prototype.slice.call(form.querySelectorAll("button[aria-pressed]"));
  }

  function setPressed(form, status) {
    buttons(form).forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === status ? "true" : "false");
    });
  }

  function showError(row, text, link) {
    var box = row.querySelector("[data-row-error]");
    if (!box) return;
    box.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.text;
      box.appendChild(document.createTextNode(" "));
      box.appendChild(a);
    }
    box.hidden = !text;
  }

  // A field of the details form differs from what the page (or the last tap) put there.
  function isDirty(field) {
    if (field.type === "hidden" || field.type === "submit") return false;
    if (field.type === "file") return field.files && field.files.length > 0;
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") {
      return Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return field.value !== field.defaultValue;
  }

  function dirtyForms() {
    return Array.prototype.filter.call(document.querySelectorAll(".details-form"), function (form) {
      return Array.prototype.some.call(form.elements, isDirty);
    });
  }

  function setField(field, value, keepTyping) {
    // What the user typed and has not saved is kept; only untouched fields follow the tap.
    if (!field) return;
    var dirty = isDirty(field);
    if (field.tagName === "SELECT") {
      Array.prototype.forEach.call(field.options, function (o) {
        o.defaultSelected = o.value === value;
        if (!(keepTyping && dirty)) o.selected = o.value === value;
      });
      return;
    }
    field.defaultValue = value;
    if (!(keepTyping && dirty)) field.value = value;
  }

  function syncDetails(row, body) {
    // Keep the details form in step with the saved entry, so saving details after this tap
    // neither undoes it nor is refused as out of date.
    var form = row.querySelector(".details-form");
    if (!form) return;
    var text = function (v) { return v === null || v === undefined ? "" : String(v); };
    setField(form.querySelector("select[name=status]"), text(body.status), true);
    setField(form.querySelector("input[name=minutes_delivered]"), text(body.minutes_delivered), true);
    setField(form.querySelector("input[name=revision]"), text(body.revision), false);
    var reason = row.querySelector("[data-reason]");
    if (reason && body.status) reason.hidden = false;
  }

  function loggedOut(response, body) {
    if (!response || body) return false;
    if (response.redirected && response.url.indexOf(loginPath) !== -1) return true;
    // A 403 that is not our JSON is the CSRF failure page: the session cookie is gone.
    return response.status === 401 || response.status === 403;
  }

  function errorText(response, body) {
    if (body && body.error) {
      var fields = body.error.fields || [];
      return fields.length ? fields[0].message : body.error.message;
    }
    if (response && response.status === 403) return form403;
    return notSaved;
  }

  // Translated words come from the page (data-* on the live region), English as a fallback.
  var notSaved = "Not saved. Check your connection and tap again.";
  var form403 = "Not saved: your role in this household can read but not change records.";
  var loggedOutText = "Not saved: you are logged out. Log in again, then tap again.";
  var logIn = "Log in again";
  var loginUrl = "/login/";
  var loginPath = "/login/";
  var saving = "Saving…";
  var unsaved = "You have typed details that are not saved yet. They will be lost if you go on. Go on anyway?";

  // One request per row at a time: a tap made while one is on its way waits, and only the
  // last of those taps is sent, so the buttons end on what was saved last.
  function submit(event) {
    var form = event.currentTarget;
    var button = event.submitter;
    if (!button || !window.fetch || !window.FormData) return; // plain form submit instead
    event.preventDefault();
    var value = button.value;
    // What the buttons showed before this run of taps, to restore if saving fails.
    if (!form.saved) form.saved = buttons(form).map(function (b) { return b.getAttribute("aria-pressed"); });
    setPressed(form, value === "clear" ? "" : value);
    if (form.sending) {
      form.pending = value;
      return;
    }
    send(form, value);
  }

  function send(form, value) {
    var row = form.closest(".checkin-row");
    var button = form.querySelector('button[value="' + value + '"]');
    var data = new FormData(form);
    data.set("status", value);
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    form.sending = true;
    form.pending = null;
    form.setAttribute("aria-busy", "true");
    if (button) button.setAttribute("aria-busy", "true");
    showError(row, "");
    announce(saving);
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: {
        "X-Requested-With": "fetch",
        "X-CSRFToken": token ? token.value : "",
        "Accept": "application/json"
      }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // A login page or an error page: the session may have ended.
        return { response: response, body: null };
      }
      return response.json().then(function (body) { return { response: response, body: body }; });
    }).then(function (result) {
      done(form, button);
      var body = result.body;
      if (body && body.confirm_url) {
        // Clear on an entry with details: its delete confirmation page asks first.
        window.location.assign(body.confirm_url);
        return;
      }
      if (!result.response.ok || !body || body.error) {
        fail(form, row, result.response, body);
        return;
      }
      form.saved = null;
      if (form.pending !== null) { next(form, body); return; }
      setPressed(form, body.status || "");
      var clear = form.querySelector("[data-clear]");
      if (clear && !body.status) {
        // Clear goes away with the status; focus stays in the row, on its first button.
        if (document.activeElement === clear) buttons(form)[0].focus();
        clear.hidden = true;
      } else if (clear) {
        clear.hidden = false;
      }
      var meta = row.querySelector("[data-entry-meta]");
      if (meta && typeof body.meta_html === "string") meta.innerHTML = body.meta_html;
      syncDetails(row, body);
      var progress = document.querySelector("[data-progress]");
      if (progress && body.progress) progress.textContent = body.progress;
      var allDelivered = document.querySelector("[data-all-delivered]");
      if (allDelivered && typeof body.all_delivered_html === "string") {
        allDelivered.innerHTML = body.all_delivered_html;
      }
      var heading = row.querySelector(".provision-title");
      announce((body.message || "Saved") + (heading ? ": " + heading.textContent : ""));
    }).catch(function () {
      done(form, button);
      fail(form, row, null, null);
    });
  }

  function done(form, button) {
    form.sending = false;
    form.removeAttribute("aria-busy");
    if (button) button.removeAttribute("aria-busy");
  }

  function next(form, body) {
    // The answer to the earlier tap is what is saved now: restore to it if the next one fails.
    var value = form.pending;
    form.pending = null;
    form.saved = buttons(form).map(function (b) { return b.value === body.status ? "true" : "false"; });
    send(form, value);
  }

  function fail(form, row, response, body) {
    // Taps waiting behind a failed one are dropped: the buttons show what is saved.
    form.pending = null;
    if (form.saved) restore(form, form.saved);
    form.saved = null;
    if (loggedOut(response, body)) {
      showError(row, loggedOutText, { href: loginUrl, text: logIn });
    } else {
      showError(row, errorText(response, body)); // role="alert" speaks it
    }
  }

  function restore(form, states) {
    buttons(form).forEach(function (button, i) { button.setAttribute("aria-pressed", states[i]); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    live = document.getElementById("checkin-live");
    if (live) {
      notSaved = live.getAttribute("data-not-saved") || notSaved;
      form403 = live.getAttribute("data-forbidden") || form403;
      loggedOutText = live.getAttribute("data-logged-out") || loggedOutText;
      logIn = live.getAttribute("data-log-in") || logIn;
      loginUrl = live.getAttribute("data-login-url") || loginUrl;
      loginPath = loginUrl.split("?")[0];
      saving = live.getAttribute("data-saving") || saving;
      unsaved = live.getAttribute("data-unsaved") || unsaved;
    }
    document.querySelectorAll("form.status-form").forEach(function (form) {
      form.pending = null;
      form.addEventListener("submit", submit);
    });
    // A whole-day shortcut reloads the page: ask first if Details typing would be lost.
    document.querySelectorAll("form[data-whole-day]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (dirtyForms().length && !window.confirm(unsaved)) event.preventDefault();
      });
    });
  });
})();
