// Upload: one request per file (a ZIP is one file), three at a time, each retried on network or
// server errors, so a batch of hundreds of files survives a flaky connection. The server says for
// every file whether it was accepted, a duplicate of an earlier upload, or refused and why.
(function () {
  const csrf = document.body.getAttribute("hx-headers").match(/"X-CSRFToken": "([^"]+)"/)[1];
  const queue = [];
  const rows = new Map();
  const tbody = document.querySelector("#files tbody");
  const start = document.getElementById("start");
  const summary = document.getElementById("summary");
  const STATUS = { accepted: "已接收", duplicate: "重复上传", refused: "未受理", failed: "上传失败", waiting: "等待上传", sending: "上传中" };

  function add(file, path, photos) {
    const key = path || file.name;
    if (rows.has(key)) return;
    const tr = document.createElement("tr");
    for (let i = 0; i < 3; i++) tr.appendChild(document.createElement("td"));
    tr.children[0].textContent = key;
    tbody.appendChild(tr);
    rows.set(key, tr);
    queue.push(photos ? { photos, path: key } : { file, path: key });
    show(key, "waiting", "");
    start.disabled = false;
    summary.textContent = `已选择 ${queue.length} 个文件`;
  }

  function show(key, status, message) {
    const tr = rows.get(key);
    tr.className = "status-" + status;
    tr.dataset.status = status;
    tr.children[1].textContent = STATUS[status] || status;
    tr.children[2].textContent = message;
  }

  // Folders dropped from the file manager: walk their entries, keep relative paths.
  function walk(entry, prefix) {
    return new Promise((resolve) => {
      if (entry.isFile) {
        entry.file((f) => { add(f, prefix + f.name); resolve(); }, () => resolve());
      } else if (entry.isDirectory) {
        const reader = entry.createReader();
        const all = [];
        const next = () => reader.readEntries((batch) => {
          if (!batch.length) { Promise.all(all.map((e) => walk(e, prefix + entry.name + "/"))).then(resolve); return; }
          all.push(...batch); next();
        }, () => resolve());
        next();
      } else resolve();
    });
  }

  const drop = document.getElementById("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault(); drop.classList.remove("over");
    const entries = [...e.dataTransfer.items].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
    if (entries.length) entries.forEach((en) => walk(en, ""));
    else [...e.dataTransfer.files].forEach((f) => add(f, f.name));
  });
  document.getElementById("pick-files").addEventListener("change", (e) => [...e.target.files].forEach((f) => add(f, f.name)));
  document.getElementById("pick-folder").addEventListener("change", (e) => [...e.target.files].forEach((f) => add(f, f.webkitRelativePath || f.name)));

  // Phone capture: each photo taken is one page; "合为一份材料" makes the photos so far one
  // document of the batch (sent as one request, joined into one PDF by the server).
  const shots = [];
  let documents = 0;
  const shotsBox = document.getElementById("shots");
  const done = document.getElementById("photos-done");
  const clear = document.getElementById("photos-clear");
  const count = document.getElementById("shots-count");
  function showShots() {
    shotsBox.replaceChildren(...shots.map((file, i) => {
      const figure = document.createElement("figure");
      const img = document.createElement("img");
      img.src = URL.createObjectURL(file);
      img.alt = `第 ${i + 1} 页`;
      const caption = document.createElement("figcaption");
      caption.textContent = `第 ${i + 1} 页`;
      figure.append(img, caption);
      return figure;
    }));
    done.disabled = clear.disabled = shots.length === 0;
    count.textContent = shots.length ? `已拍 ${shots.length} 页` : "";
  }
  document.getElementById("pick-camera").addEventListener("change", (e) => {
    shots.push(...e.target.files);
    e.target.value = "";
    showShots();
  });
  clear.addEventListener("click", () => { shots.length = 0; showShots(); });
  done.addEventListener("click", () => {
    if (!shots.length) return;
    documents += 1;
    const stamp = new Date().toISOString().slice(0, 10).replace(/-/g, "");
    add(null, `手机拍照-${stamp}-${documents}（${shots.length} 页）.pdf`, shots.splice(0));
    showShots();
  });

  async function post(url, body) {
    const response = await fetch(url, { method: "POST", body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin" });
    if (!response.ok) {
      const error = new Error(`HTTP ${response.status}`);
      error.status = response.status;
      try { error.message = (await response.json()).error || error.message; } catch (_) { /* not JSON */ }
      throw error;
    }
    return response.json();
  }

  async function send(batchId, item) {
    show(item.path, "sending", "");
    for (let attempt = 1; attempt <= 4; attempt++) {
      try {
        const form = new FormData();
        if (item.photos) item.photos.forEach((p, i) => form.append("photo", p, p.name || `photo-${i + 1}.jpg`));
        else form.append("file", item.file, item.file.name);
        form.append("path", item.path);
        const result = await post(`/batches/${batchId}/${item.photos ? "photos" : "files"}`, form);
        const states = result.files;
        const worst = states.find((s) => s.status === "refused") || states.find((s) => s.status === "duplicate") || states[0];
        const note = states.length > 1 ? `压缩包内 ${states.length} 个文件：` + states.map((s) => `${s.source}：${STATUS[s.status]}${s.status === "accepted" ? "" : "（" + s.message + "）"}`).join("；") : worst.message;
        show(item.path, worst.status, note);
        return;
      } catch (error) {
        if (error.status && error.status < 500) { show(item.path, "failed", error.message); return; }
        show(item.path, "sending", `第 ${attempt} 次上传失败，正在重试…`);
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
    show(item.path, "failed", "多次重试仍未成功，请检查网络后重新上传此文件");
  }

  start.addEventListener("click", async () => {
    start.disabled = true;
    const created = await post("/batches/create", new URLSearchParams({ label: document.getElementById("label").value }));
    const batchId = created.batch_id;
    let done = 0;
    const workers = [0, 1, 2].map(async () => {
      while (queue.length) {
        await send(batchId, queue.shift());
        summary.textContent = `已处理 ${++done} / ${rows.size} 个文件`;
      }
    });
    await Promise.all(workers);
    const sealed = await post(`/batches/${batchId}/seal`, new FormData());
    summary.innerHTML = `上传完成。<a href="${sealed.url}">查看批次 ${batchId} 的识别进度</a>`;
    document.body.dataset.uploadedBatch = batchId;
  });
})();
