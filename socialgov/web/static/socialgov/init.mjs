// Progressive enhancement only: every page works without this file.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();

// Live preview for Markdown editors: the server renders and sanitises, exactly
// as it will on save, a moment after the author stops typing. Without
// JavaScript the "Preview" button does the same with a full page.
for (const editor of document.querySelectorAll('[data-module="sg-live-preview"]')) {
  const textarea = editor.querySelector("textarea");
  const preview = editor.querySelector(".sg-preview");
  const token = document.querySelector('input[name="csrfmiddlewaretoken"]');
  if (!textarea || !preview || !token) continue;
  let timer;
  let latest = 0;
  const refresh = async () => {
    const ask = ++latest;
    const body = new FormData();
    body.append("body", textarea.value);
    body.append("csrfmiddlewaretoken", token.value);
    try {
      const response = await fetch(editor.dataset.previewUrl, { method: "POST", body, credentials: "same-origin" });
      if (response.ok && ask === latest) preview.innerHTML = await response.text();
    } catch {
      // Offline or signed out: the preview button still works.
    }
  };
  textarea.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  refresh();
}
