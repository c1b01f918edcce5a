// The document list: select all on the page, count the selection, show only the inputs the
// chosen bulk action needs. No inline script (the CSP forbids it).
(function () {
  const form = document.getElementById("bulk-form");
  if (!form) return;
  const picks = () => Array.from(form.querySelectorAll("input.pick"));
  const all = document.getElementById("select-all");
  const count = document.getElementById("selected-count");
  const action = document.getElementById("bulk-action");
  const type = document.getElementById("bulk-type");
  const kase = document.getElementById("bulk-case");
  const apply = document.getElementById("bulk-apply");
  function update() {
    const n = picks().filter((p) => p.checked).length;
    if (count) count.textContent = String(n);
    if (all) all.checked = n > 0 && n === picks().length;
    if (action) {
      if (type) type.hidden = action.value !== "change_type";
      if (kase) kase.hidden = action.value !== "attach";
      if (apply) apply.disabled = n === 0 || !action.value;
    }
  }
  if (all) all.addEventListener("change", () => { picks().forEach((p) => { p.checked = all.checked; }); update(); });
  form.addEventListener("change", update);
  form.addEventListener("submit", (event) => {
    const n = picks().filter((p) => p.checked).length;
    const label = action && action.selectedOptions[0] ? action.selectedOptions[0].textContent : "";
    if (!window.confirm(`对选中的 ${n} 份材料执行“${label}”？`)) event.preventDefault();
  });
  update();
})();
