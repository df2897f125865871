/* The book's small script (every page): navigation drawers as real buttons, and wide tables
   that say they scroll. Without JavaScript the page still works: tables scroll and are focusable,
   and on a wide screen the navigation is always visible. */
"use strict";
(() => {
  // ---- Drawers (phone and tablet): the menu and «På denne siden» ----
  // Furo opens a drawer with a hidden checkbox (#__navigation, #__toc) and CSS. The toggles are
  // buttons with aria-expanded; a closed drawer is hidden (CSS: visibility), so its links take no
  // Tab stops. Escape closes an open drawer and puts focus back on its button.
  const buttons = [...document.querySelectorAll("button.drawer-toggle")];
  const box = (name) => document.getElementById(name);
  const drawerOf = (name) => document.getElementById(name === "__toc" ? "bok-sideinnhold" : "bok-navigasjon");
  let opener = null;

  const sync = () => {
    for (const button of buttons) {
      const checkbox = box(button.dataset.drawer);
      button.setAttribute("aria-expanded", checkbox && checkbox.checked ? "true" : "false");
    }
  };
  const setOpen = (name, open) => {
    const checkbox = box(name);
    if (!checkbox) return;
    for (const other of ["__navigation", "__toc"]) {
      if (other !== name && box(other)) box(other).checked = false;
    }
    checkbox.checked = open;
    sync();
  };
  for (const button of buttons) {
    button.addEventListener("click", () => {
      const name = button.dataset.drawer;
      const open = !box(name).checked;
      setOpen(name, open);
      if (open) {
        opener = button;
        const drawer = drawerOf(name);
        // focus the first link once the drawer is visible
        requestAnimationFrame(() => {
          const first = drawer && [...drawer.querySelectorAll("a[href], input, button, summary")]
            .find((el) => el.getClientRects().length > 0);
          if (first) first.focus();
        });
      }
    });
  }
  for (const name of ["__navigation", "__toc"]) {
    if (box(name)) box(name).addEventListener("change", sync);  // the overlay (a label) closes it
  }
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const open = ["__navigation", "__toc"].find((n) => box(n) && box(n).checked);
    if (!open) return;
    setOpen(open, false);
    const back = opener && opener.offsetParent !== null ? opener
      : buttons.find((b) => b.dataset.drawer === open && b.offsetParent !== null);
    if (back) back.focus();
  });
  // Focus leaving an open drawer (Tab past its end) closes it
  document.addEventListener("focusin", (event) => {
    for (const name of ["__navigation", "__toc"]) {
      const drawer = drawerOf(name);
      if (!box(name) || !box(name).checked || !drawer) continue;
      const target = event.target;
      if (!drawer.contains(target) && !(target.classList && target.classList.contains("drawer-toggle"))) {
        setOpen(name, false);
      }
    }
  });
  sync();

  // ---- Wide tables: a Tab stop and a hint only where the table is wider than its column ----
  const regions = [...document.querySelectorAll(".table-scroll")];
  const measure = (region) => {
    if (region.clientWidth === 0) return;  // in a closed <details>: measured when opened
    const wide = region.scrollWidth > region.clientWidth + 1;
    region.parentElement.classList.toggle("is-wide", wide);
    if (wide) region.setAttribute("tabindex", "0");
    else region.removeAttribute("tabindex");
  };
  if ("ResizeObserver" in window) {
    const observer = new ResizeObserver((entries) => entries.forEach((e) => measure(e.target)));
    regions.forEach((r) => observer.observe(r));
  } else {
    regions.forEach(measure);
    window.addEventListener("resize", () => regions.forEach(measure));
  }
})();
