// Lysarkene (scripts/slides.py): reveal.js sine egne engelske knappetekster på bokmål.
(function () {
  var norsk = {
    "previous slide": "forrige lysark",
    "next slide": "neste lysark",
    "above slide": "lysarket over",
    "below slide": "lysarket under"
  };
  function oversett() {
    document.querySelectorAll(".reveal [aria-label]").forEach(function (el) {
      var tekst = norsk[el.getAttribute("aria-label")];
      if (tekst) { el.setAttribute("aria-label", tekst); }
    });
    document.querySelectorAll(".reveal .slide-number a").forEach(function (a) {
      a.setAttribute("aria-label", "Lysark " + a.textContent.replace(/\s+/g, " ").trim().replace("/", "av"));
    });
  }
  Reveal.on("ready", oversett);
  Reveal.on("slidechanged", oversett);
})();
