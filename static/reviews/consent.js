// The authorization names the condition the patient types, as they type it: the text shown is the text
// stored. The hidden field tells the server which condition the text on screen named.
(function () {
  "use strict";
  var field = document.getElementById("id_condition");
  var clause = document.getElementById("consent_condition");
  var named = document.getElementById("id_consent_condition");
  if (!field || !clause || !named) return;
  var template = clause.getAttribute("data-template");
  var controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
  function update() {
    // The same cleaning as the server's clean_text: NFC, no control characters, spaces collapsed.
    var value = field.value.normalize("NFC").replace(controls, "").trim().replace(/\s+/g, " ");
    clause.textContent = value ? template.replace("{condition}", value) : "";
    named.value = value;
  }
  field.addEventListener("input", update);
  update();
})();
