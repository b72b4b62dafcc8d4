// Progressive enhancement only: the form works the same without this script.
(function () {
  "use strict";
  var form = document.getElementById("testimonial-form");
  if (!form) return;

  // The therapist list follows the chosen clinic; with no clinic chosen, every clinic's group is back.
  var location = document.getElementById("id_location");
  var therapist = document.getElementById("id_therapist");
  var data = JSON.parse(document.getElementById("therapists-data").textContent);
  var original = Array.prototype.map.call(therapist.children, function (node) { return node.cloneNode(true); });
  function narrow() {
    var chosen = therapist.value;
    var list = data[location.value];
    therapist.innerHTML = "";
    if (!list) {
      original.forEach(function (node) { therapist.appendChild(node.cloneNode(true)); });
    } else {
      therapist.appendChild(original[0].cloneNode(true)); // "Not sure"
      list.forEach(function (t) {
        var opt = document.createElement("option");
        opt.value = t.slug;
        opt.textContent = t.name;
        therapist.appendChild(opt);
      });
    }
    therapist.value = chosen;
    if (therapist.selectedIndex < 0) therapist.selectedIndex = 0; // not at this clinic: "Not sure"
  }
  location.addEventListener("change", narrow);
  narrow();

  // A character counter: how many more are needed, then how many are left, then (a long paste is
  // never cut) how much to shorten, in the server's own words. It counts characters as the server
  // does (an emoji is one), and speaks only after a pause in typing, not at every key.
  var body = document.getElementById("id_body");
  var counter = document.getElementById("counter_body");
  var live = document.getElementById("counter_body_live");
  var min = parseInt(counter.getAttribute("data-min"), 10);
  var max = parseInt(counter.getAttribute("data-max"), 10);
  var separator = counter.getAttribute("data-separator") || "";
  var speakTimer = null;
  function grouped(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  }
  function message() {
    var length = Array.from(body.value.trim()).length;
    var short = min - length;
    var kind = short > 0 ? "short" : (length > max ? "over" : "left");
    var n = kind === "short" ? short : Math.abs(max - length);
    var template = counter.getAttribute("data-" + kind + (n === 1 ? "-one" : "-other"));
    counter.classList.toggle("over", kind === "over");
    if (kind !== "over") return template.replace("{n}", String(n));
    // Over the limit: the server's sentence, its numbers grouped as the server groups them.
    return template.replace("{length}", grouped(length)).replace("{max}", grouped(max)).replace("{n}", grouped(n));
  }
  function count(event) {
    counter.textContent = message();
    clearTimeout(speakTimer);
    // A paste that goes over the limit is said at once: the patient did not just type one key.
    var now = event && event.inputType === "insertFromPaste" && counter.classList.contains("over");
    speakTimer = setTimeout(function () { live.textContent = counter.textContent; }, now ? 0 : 1200);
  }
  body.addEventListener("input", count);
  counter.textContent = message();

  // One submission per click: a double-click sends the form once.
  var button = form.querySelector("button[type=submit]");
  var label = button.textContent;
  form.addEventListener("submit", function () {
    setTimeout(function () {
      button.disabled = true;
      button.textContent = button.getAttribute("data-sending") || label;
    }, 0);
  });
  // Back from the thanks page (page restored from the cache): the button works again.
  window.addEventListener("pageshow", function () {
    button.disabled = false;
    button.textContent = label;
  });

  // The error summary (or, without errors, the note asking to send again) takes the focus; each link
  // moves the focus to its field with its label in view.
  var summary = document.getElementById("error-summary");
  var notice = document.getElementById("form-notice");
  if (!summary && notice) notice.focus();
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) return;
      event.preventDefault();
      var group = input.closest("fieldset, .field");
      (group || input).scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }
})();
