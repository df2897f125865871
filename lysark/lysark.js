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
  // reveal.js gjør hele lysarket til role="application"; da ligger hovedinnholdet (role="main")
  // inni et annet landemerke, og skjermlesere mister sine vanlige lesetaster. Hele lysarket, med
  // knappene og sidetallet, blir i stedet hovedinnholdet.
  Reveal.on("ready", function () {
    document.querySelector(".reveal").setAttribute("role", "main");
    document.querySelector(".reveal .slides").removeAttribute("role");
    oversett();
  });
  Reveal.on("slidechanged", oversett);
})();
