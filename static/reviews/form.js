// Progressive enhancement only: the form works the same without this script.
(function () {
  "use strict";
  var form = document.getElementById("testimonial-form");
  if (!form) return;

  // The therapist list follows the chosen clinic.
  var location = document.getElementById("id_location");
  var therapist = document.getElementById("id_therapist");
  var data = JSON.parse(document.getElementById("therapists-data").textContent);
  var notSure = therapist.options[0].cloneNode(true);
  function narrow() {
    var chosen = therapist.value;
    var list = data[location.value];
    if (!list) return; // no clinic chosen: keep every clinic's group
    therapist.innerHTML = "";
    therapist.appendChild(notSure.cloneNode(true));
    list.forEach(function (t) {
      var opt = document.createElement("option");
      opt.value = t.slug;
      opt.textContent = t.name;
      if (t.slug === chosen) opt.selected = true;
      therapist.appendChild(opt);
    });
  }
  location.addEventListener("change", narrow);
  narrow();

  // A counter of the characters left.
  var body = document.getElementById("id_body");
  var counter = document.getElementById("counter_body");
  var max = parseInt(counter.getAttribute("data-max"), 10);
  var template = document.documentElement.lang === "es" ? "Quedan {n} caracteres" : "{n} characters left";
  function count() {
    counter.textContent = template.replace("{n}", String(max - body.value.length));
  }
  body.addEventListener("input", count);
  count();

  // One submission per click: a double-click sends the form once.
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    setTimeout(function () { button.disabled = true; }, 0);
  });

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
