// Progressive enhancement only: every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button.copy[data-copy]")) {
    button.addEventListener("click", async () => {
      const field = document.getElementById(button.dataset.copy);
      if (!field) return;
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
        button.textContent = "Link copied";
      } catch {
        button.textContent = "Select the link and copy it";
      }
    });
  }

  const panel = document.getElementById("mark-panel");
  if (panel) {
    // The article view: a focused or clicked mark is named, with its IRI, in the side panel.
    const show = (mark) => {
      panel.querySelector(".what").textContent = `${mark.dataset.kind}: ${mark.dataset.label}`;
      panel.querySelector(".iri code").textContent = mark.dataset.iri;
      panel.querySelector("a.node").href = mark.dataset.href || mark.dataset.iri;
      panel.hidden = false;
    };
    for (const mark of document.querySelectorAll("mark.mark[data-iri]")) {
      mark.addEventListener("focus", () => show(mark));
      mark.addEventListener("click", (event) => {
        event.stopPropagation(); // the innermost mark clicked, not the fact around it
        show(mark);
      });
    }
  }
});
