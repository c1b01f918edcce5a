// Keyboard-first review: Enter saves (or confirms) the field and moves to the next one; arrow keys
// move between fields; Ctrl+Enter confirms the whole document; the focused field's box is
// highlighted on the scan and scrolled into view, and takes the row's colour after a save.
(function () {
  const table = document.getElementById("fields");
  if (!table) return;
  const inputs = () => [...table.querySelectorAll("input[name=value]")];

  function highlight(name) {
    document.querySelectorAll("rect.active").forEach((r) => r.classList.remove("active"));
    table.querySelectorAll("tr.active").forEach((r) => r.classList.remove("active"));
    const box = document.getElementById("box-" + name);
    const row = document.getElementById("row-" + name);
    if (row) row.classList.add("active");
    if (box) { box.classList.add("active"); box.scrollIntoView({ block: "center", behavior: "smooth" }); }
  }

  function focusAt(index) {
    const list = inputs();
    if (!list.length) return;
    const input = list[Math.max(0, Math.min(index, list.length - 1))];
    input.focus();
    input.select();
  }

  table.addEventListener("focusin", (e) => {
    const row = e.target.closest("tr[data-field]");
    if (row) highlight(row.dataset.field);
  });

  document.addEventListener("keydown", (e) => {
    const list = inputs();
    const index = list.indexOf(document.activeElement);
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      document.getElementById("confirm-document").requestSubmit();
    } else if (e.key === "Enter" && index >= 0) {
      e.preventDefault();
      const form = list[index].form;
      form.dataset.next = String(index + 1);
      htmx.trigger(form, "submit");
    } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && index >= 0) {
      e.preventDefault();
      focusAt(index + (e.key === "ArrowDown" ? 1 : -1));
    }
  });

  // After a row comes back from the server, keep going where the reviewer was heading; if the
  // server refused the value, stay on it so the reviewer sees why.
  document.body.addEventListener("htmx:afterSettle", (e) => {
    const form = e.detail.requestConfig && e.detail.requestConfig.elt;
    if (!form || !form.dataset || form.dataset.next === undefined || form.dataset.done) return;
    form.dataset.done = "1";
    const row = document.getElementById("row-" + form.dataset.field);
    // The row's own value input, not the hidden CSRF input before it.
    if (row && row.querySelector("[role=alert]")) focusAt(inputs().indexOf(row.querySelector("input[name=value]")));
    else focusAt(Number(form.dataset.next));
  });

  // A row that comes back from the server says its state (decided, uncertain): the box on the
  // scan takes the same colour at once.
  document.body.addEventListener("htmx:afterSwap", () => {
    table.querySelectorAll("tr[data-field]").forEach((row) => {
      const box = document.getElementById("box-" + row.dataset.field);
      if (!box) return;
      box.classList.remove("reviewer", "low");
      if (row.dataset.state) box.classList.add(row.dataset.state);
    });
  });

  document.querySelectorAll("rect[data-field]").forEach((box) =>
    box.addEventListener("click", () => focusAt(inputs().findIndex((i) => i.id === "value-" + box.dataset.field))));

  const firstOpen = inputs().findIndex((i) => !i.closest("tr").classList.contains("decided"));
  focusAt(firstOpen >= 0 ? firstOpen : 0);
})();
