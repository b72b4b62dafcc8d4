/* Keyboard shortcuts of the moderation queue and the testimonial page (hint shown on both pages).
   Queue: j / k move the current row, Enter opens it.
   Testimonial: j / k next / previous in the queue, a approve, r reject (1–9 chooses the reason, Enter
   rejects), e redact, Esc leaves a field. Keys typed into a field are the field's, except those above
   on the reason list. */
(function () {
  "use strict";

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  function go(url) {
    if (url) { window.location.assign(url); }
  }

  function testimonialPage(panel) {
    var reason = document.getElementById("id_reject_reason");
    var note = document.getElementById("id_approve_note");
    var body = document.getElementById("id_body");
    var redact = document.getElementById("redact-link");

    function click(name) {
      var button = document.querySelector('#decision-bar input[type=submit][name="' + name + '"]');
      if (button) { button.click(); }
      return button;
    }

    function focusBody(event) {
      if (!body) { return; }
      if (event) { event.preventDefault(); }
      body.scrollIntoView({block: "center"});
      body.focus();
    }

    if (redact) { redact.addEventListener("click", focusBody); }

    if (reason) {
      reason.addEventListener("keydown", function (event) {
        if (event.altKey || event.ctrlKey || event.metaKey) { return; }
        if (/^[1-9]$/.test(event.key) && reason.options.length > Number(event.key)) {
          event.preventDefault();
          reason.selectedIndex = Number(event.key);  // option 0 is "choose a reason"
          reason.dispatchEvent(new Event("change", {bubbles: true}));
        } else if (event.key === "Enter") {
          event.preventDefault();
          if (reason.value) { click("_reject"); } else { reason.classList.add("needs-choice"); }
        } else if (event.key === "Escape") {
          reason.blur();
        }
      });
      reason.addEventListener("change", function () { reason.classList.remove("needs-choice"); });
    }

    if (note) {
      note.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          click("_approve_anyway");
        }
      });
    }

    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) { return; }
      if (event.key === "Escape" && typing(event.target)) { event.target.blur(); return; }
      if (typing(event.target)) { return; }
      switch (event.key) {
        case "j": go(panel.dataset.nextUrl || panel.dataset.queueUrl); break;
        case "k": go(panel.dataset.previousUrl); break;
        case "a":
          if (!click("_approve") && note) { event.preventDefault(); note.focus(); }
          break;
        case "r":
          if (reason) { event.preventDefault(); reason.focus(); reason.closest(".reject-group").classList.add("active"); }
          break;
        case "e": focusBody(event); break;
        default: return;
      }
    });
  }

  function queuePage(table) {
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var current = -1;

    function move(step) {
      if (!rows.length) { return; }
      if (current >= 0) { rows[current].classList.remove("current"); }
      current = Math.min(rows.length - 1, Math.max(0, current + step));
      rows[current].classList.add("current");
      rows[current].scrollIntoView({block: "nearest"});
    }

    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
      if (event.key === "j") { move(1); }
      else if (event.key === "k") { move(-1); }
      else if ((event.key === "Enter" || event.key === "o") && rows.length) {
        var link = rows[Math.max(current, 0)].querySelector("th a, td a");
        if (link) { event.preventDefault(); go(link.href); }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("decision-panel");
    var table = document.getElementById("result_list");
    if (panel) { testimonialPage(panel); } else if (table) { queuePage(table); }
  });
}());
