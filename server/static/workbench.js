// The workbench: YASGUI with its endpoint fixed to ours and the canned queries as example tabs.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("yasgui");
  if (!element || typeof Yasgui === "undefined") return;
  const endpoint = element.dataset.endpoint;
  const examples = JSON.parse(element.dataset.examples || "[]");
  const first = element.dataset.first ? JSON.parse(element.dataset.first) : null;
  const yasgui = new Yasgui(element, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    // Tabs come from the catalogue each time, not from an earlier visit's storage.
    persistenceId: null,
    populateFromUrl: false,
    autoAddOnInit: false,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
  });
  const opened = [];
  if (first) {
    opened.push(yasgui.addTab(true, { name: first.name + " (your question)", yasqe: { value: first.query },
      requestConfig: { endpoint: endpoint } }));
  }
  for (const example of examples) {
    opened.push(yasgui.addTab(opened.length === 0, { name: example.name, yasqe: { value: example.query },
      requestConfig: { endpoint: endpoint } }));
  }
  for (const tab of opened) tab.setEndpoint(endpoint);
  window.clinkgYasgui = yasgui;
});
