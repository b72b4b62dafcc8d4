/* Testimonials widget: served at /embed.js. No dependencies, no eval, no inline styles: it builds the
 * cards with DOM methods and links one stylesheet of this site, so a strict Content-Security-Policy on
 * the host page holds as long as it allows this site in script-src, style-src and connect-src.
 *
 *   <div data-testimonials data-location="dayton" data-therapist="" data-tag="foot-drop"
 *        data-limit="3" data-lang="es">
 *     <noscript><a href="https://www.example.com/testimonials/">Read our patients' testimonials</a></noscript>
 *   </div>
 *   <script src="https://testimonials.example.com/embed.js" async></script>
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src || !window.fetch) return;
  // Everything comes from the origin this script was loaded from: no other host is ever contacted.
  var ORIGIN = new URL(script.src, document.baseURI).origin;
  var CSS_PATH = "__EMBED_CSS_PATH__";
  var FILTERS = ["location", "therapist", "tag"];
  var LABELS = {
    en: {
      region: "Patient testimonials",
      rating: function (n) { return "Rated " + n + " out of 5 stars"; },
      clinic: "Clinic: ",
      empty: "No testimonials to show yet.",
      name: function (item) { return item.display_name; }
    },
    es: {
      region: "Testimonios de pacientes",
      rating: function (n) { return "Valoración: " + n + " de 5 estrellas"; },
      clinic: "Clínica: ",
      empty: "Todavía no hay testimonios para mostrar.",
      // The API's anonymous form is English ("A patient at Dayton"); a first name needs no translation.
      name: function (item) {
        var clinic = item.location ? item.location.name : "";
        return item.display_name === "A patient at " + clinic ? "Paciente de " + clinic : item.display_name;
      }
    }
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function linkStylesheet() {
    if (document.querySelector("link[data-testimonials-css]")) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = ORIGIN + CSS_PATH;
    link.setAttribute("data-testimonials-css", "");
    document.head.appendChild(link);
  }

  function card(item, labels) {
    var li = el("li", "tstm-card");
    var figure = el("figure", "tstm-figure");
    var quote = el("blockquote", "tstm-text");
    if (item.language) quote.lang = item.language;
    String(item.body).split(/\n\s*\n/).forEach(function (paragraph) {
      if (paragraph.trim()) quote.appendChild(el("p", null, paragraph.trim()));
    });
    var caption = el("figcaption", "tstm-meta");
    var rating = Math.max(0, Math.min(5, Number(item.rating) || 0));
    var stars = el("span", "tstm-stars", "★★★★★".slice(0, rating) + "☆☆☆☆☆".slice(0, 5 - rating));
    stars.setAttribute("aria-hidden", "true");
    caption.appendChild(stars);
    caption.appendChild(el("span", "tstm-sr", labels.rating(rating)));
    caption.appendChild(el("span", "tstm-name", labels.name(item)));
    var clinic = el("span", "tstm-clinic");
    clinic.appendChild(el("span", "tstm-sr", labels.clinic));
    clinic.appendChild(document.createTextNode(item.location ? item.location.name : ""));
    caption.appendChild(clinic);
    figure.appendChild(quote);
    figure.appendChild(caption);
    li.appendChild(figure);
    return li;
  }

  function show(container, results, lang) {
    var labels = LABELS[lang];
    var section = el("section", "tstm");
    section.lang = lang;
    section.setAttribute("aria-label", labels.region);
    if (!results.length) {
      section.appendChild(el("p", "tstm-empty", labels.empty));
    } else {
      var list = el("ul", "tstm-list");
      list.setAttribute("role", "list"); // list-style: none drops the list role in some screen readers
      results.forEach(function (item) { list.appendChild(card(item, labels)); });
      section.appendChild(list);
    }
    container.replaceChildren(section);
  }

  function render(container) {
    if (container.hasAttribute("data-testimonials-state")) return;
    container.setAttribute("data-testimonials-state", "loading");
    container.setAttribute("aria-busy", "true");
    // data-lang, else the host page's own language.
    var wanted = container.getAttribute("data-lang") || document.documentElement.lang || "en";
    var lang = wanted.slice(0, 2).toLowerCase() === "es" ? "es" : "en";
    var limit = parseInt(container.getAttribute("data-limit") || "3", 10);
    var query = new URLSearchParams();
    FILTERS.forEach(function (name) {
      var value = container.getAttribute("data-" + name);
      if (value) query.set(name, value);
    });
    query.set("page_size", String(limit > 0 && limit <= 20 ? limit : 3));
    fetch(ORIGIN + "/api/v1/testimonials/?" + query.toString(),
          {credentials: "omit", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        show(container, data.results || [], lang);
        container.setAttribute("data-testimonials-state", "ready");
      })
      .catch(function (error) {
        // The host's own fallback (its <noscript> link) stays in place.
        container.setAttribute("data-testimonials-state", "failed");
        if (window.console) console.warn("testimonials widget: " + error.message);
      })
      .then(function () { container.removeAttribute("aria-busy"); });
  }

  function scan() {
    var containers = document.querySelectorAll("[data-testimonials]");
    if (containers.length) linkStylesheet();
    Array.prototype.forEach.call(containers, render);
  }

  window.TestimonialsWidget = {refresh: scan}; // for pages that add containers later
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
