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

  function showError(row, text) {
    var box = row.querySelector("[data-row-error]");
    if (!box) return;
    box.textContent = text;
    box.hidden = !text;
  }

  function syncDetails(row, status) {
    // Keep the details form in step, so saving details later does not undo this tap.
    var select = row.querySelector(".details-form select[name=status]");
    if (select) select.value = status || "";
    var reason = row.querySelector("[data-reason]");
    if (reason && status) reason.hidden = false;
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

  function submit(event) {
    var form = event.currentTarget;
    var button = event.submitter;
    if (!button || !window.fetch || !window.FormData) return; // plain form submit instead
    event.preventDefault();
    var row = form.closest(".checkin-row");
    var before = buttons(form).map(function (b) { return b.getAttribute("aria-pressed"); });
    var value = button.value;
    var data = new FormData(form);
    data.set("status", value);
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    setPressed(form, value === "clear" ? "" : value);
    button.setAttribute("aria-busy", "true");
    showError(row, "");
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
      button.removeAttribute("aria-busy");
      var body = result.body;
      if (!result.response.ok || !body || body.error) {
        restore(form, before);
        showError(row, errorText(result.response, body)); // role="alert" speaks it
        return;
      }
      setPressed(form, body.status || "");
      var meta = row.querySelector("[data-entry-meta]");
      if (meta && typeof body.meta_html === "string") meta.innerHTML = body.meta_html;
      syncDetails(row, body.status);
      var progress = document.querySelector("[data-progress]");
      if (progress && body.progress) progress.textContent = body.progress;
      var heading = row.querySelector(".provision-title");
      announce((body.message || "Saved") + (heading ? ": " + heading.textContent : ""));
    }).catch(function () {
      button.removeAttribute("aria-busy");
      restore(form, before);
      showError(row, notSaved);
    });
  }

  function restore(form, states) {
    buttons(form).forEach(function (button, i) { button.setAttribute("aria-pressed", states[i]); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    live = document.getElementById("checkin-live");
    if (live) {
      notSaved = live.getAttribute("data-not-saved") || notSaved;
      form403 = live.getAttribute("data-forbidden") || form403;
    }
    document.querySelectorAll("form.status-form").forEach(function (form) {
      form.addEventListener("submit", submit);
    });
  });
})();
