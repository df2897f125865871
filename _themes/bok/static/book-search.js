/* The book's search (search page only, after Sphinx's searchtools.js):
   - ranking: a page whose own title holds a search word comes first;
   - from a folder on disk (file://, the zip copy), where the browser refuses to fetch the pages
     for the snippets, the snippets come from _static/search-texts.js (the text of every page,
     loaded only there); on a web server the pages are fetched as Sphinx does;
   - a snippet never shows the page's «Lesetid … · Sist oppdatert …» line or its citation box. */
"use strict";
(() => {
  const MARK = "\u0000book-search-text:";
  const root = document.documentElement.dataset.content_root || "";
  const offline = window.location.protocol === "file:";
  const texts = () => window.BOOK_SEARCH_TEXTS || {};
  const textsLoaded = !offline ? Promise.resolve() : new Promise((resolve) => {
    const script = document.createElement("script");
    script.src = root + "_static/search-texts.js";
    script.onload = script.onerror = () => resolve();
    document.head.appendChild(script);
  });

  // ---- ranking ----
  const stemmer = typeof Stemmer === "function" ? new Stemmer() : null;
  const stem = (w) => (stemmer ? stemmer.stemWord(w) : w);
  const words = (s) => (s.toLowerCase().match(/[\p{Letter}\p{Number}]+/gu) || []);
  const query = new URLSearchParams(window.location.search).get("q") || "";
  const queryStems = words(query).filter((w) => w.length > 1).map(stem);
  const pageTitle = (docname) => {
    const index = Search._index;
    if (!index) return "";
    const i = index.docnames.indexOf(docname);
    return i >= 0 ? index.titles[i] : "";
  };
  const previous = Scorer.score;
  Scorer.score = (result) => {
    let score = previous ? previous(result) : result[4];
    const titleStems = words(pageTitle(result[0])).map(stem);
    const hits = queryStems.filter((q) => titleStems.some((t) => t === q || t.startsWith(q))).length;
    if (hits) score += 100 * hits + (result[2] === "" ? 10 : 0);  // the page itself before its sections
    return score;
  };

  // ---- snippets ----
  const docFromUrl = (url) => {
    let path = String(url);
    if (root && path.startsWith(root)) path = path.slice(root.length);
    return path.replace(/\.html$/, "");
  };
  const originalFetch = window.fetch ? window.fetch.bind(window) : null;
  if (offline) {
    window.fetch = (url, ...rest) => textsLoaded.then(() => {
      const doc = docFromUrl(url);
      if (Object.prototype.hasOwnProperty.call(texts(), doc)) {
        return { text: () => Promise.resolve(MARK + doc) };
      }
      return originalFetch(url, ...rest);
    });
  }
  const originalHtmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    if (htmlString.startsWith(MARK)) {
      const entry = texts()[htmlString.slice(MARK.length)];
      const span = anchor && entry.s[anchor.replace(/^#/, "")];
      return span ? entry.t.slice(span[0], span[1]) : entry.t;
    }
    // a page fetched from the server: drop the meta line and the citation box first
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(".chapter-meta, .how-to-cite, .table-scroll-hint, .figure-fullsize")
      .forEach((el) => el.remove());
    return originalHtmlToText(doc.documentElement.outerHTML, anchor);
  };
})();
