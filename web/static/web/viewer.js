// The page viewer of the review screen: zoom, rotate (remembered on the server for the page's
// display; the original and the stored image are never changed), thumbnails of every page of the
// file. Each page is an SVG whose <g class="turn"> holds the stored image and the field boxes, so
// boxes turn and scale with the scan.
(function () {
  const viewer = document.getElementById("viewer");
  if (!viewer) return;
  const pages = [...viewer.querySelectorAll(".page")];
  const csrf = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
  const ZOOMS = [50, 75, 100, 125, 150, 200, 300, 400];
  let zoom = 100;

  // A page is marked loaded when its image has arrived (tests and the reviewer wait for it).
  pages.forEach((page) => {
    const image = page.querySelector("image");
    const probe = new Image();
    probe.onload = () => { page.dataset.loaded = String(probe.naturalWidth); };
    probe.onerror = () => { page.dataset.loaded = "error"; };
    probe.src = image.getAttribute("href");
  });

  function applyZoom() {
    pages.forEach((p) => { p.style.width = zoom + "%"; });
    document.getElementById("zoom-level").textContent = zoom + "%";
    viewer.dataset.zoom = String(zoom);
  }
  function step(direction) {
    const i = ZOOMS.indexOf(zoom);
    zoom = ZOOMS[Math.max(0, Math.min(ZOOMS.length - 1, i + direction))];
    applyZoom();
  }
  document.getElementById("zoom-in").addEventListener("click", () => step(1));
  document.getElementById("zoom-out").addEventListener("click", () => step(-1));
  document.getElementById("zoom-fit").addEventListener("click", () => { zoom = 100; applyZoom(); });

  // Which page the reviewer is looking at: the one nearest the top of the scroll area.
  const scroller = document.getElementById("pages");
  function current() {
    const top = scroller.getBoundingClientRect().top;
    let best = pages[0], distance = Infinity;
    pages.forEach((p) => {
      const d = Math.abs(p.getBoundingClientRect().top - top);
      if (d < distance) { best = p; distance = d; }
    });
    return best;
  }

  function frame(page, rotation) {
    const w = Number(page.dataset.width) || 1, h = Number(page.dataset.height) || 1;
    const turned = rotation === 90 || rotation === 270;
    const transform = { 0: "", 90: `translate(${h} 0) rotate(90)`, 180: `translate(${w} ${h}) rotate(180)`, 270: `translate(0 ${w}) rotate(270)` }[rotation];
    const svg = page.querySelector("svg.scan");
    svg.setAttribute("viewBox", `0 0 ${turned ? h : w} ${turned ? w : h}`);
    const g = svg.querySelector("g.turn");
    if (transform) g.setAttribute("transform", transform); else g.removeAttribute("transform");
    page.dataset.rotation = String(rotation);
    const thumb = document.querySelector(`#thumbs a[data-page="${page.id.replace("page-", "")}"] img`);
    if (thumb) thumb.className = "rot-" + rotation;
  }

  async function rotate(by) {
    const page = current();
    if (!page) return;
    const rotation = (Number(page.dataset.rotation) + by + 360) % 360;
    frame(page, rotation);
    const body = new URLSearchParams({ rotation: String(rotation) });
    const response = await fetch(page.dataset.rotateUrl, { method: "POST", body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin" });
    page.dataset.saved = response.ok ? String(rotation) : "error";
  }
  const left = document.getElementById("rotate-left"), right = document.getElementById("rotate-right");
  if (left) left.addEventListener("click", () => rotate(-90));
  if (right) right.addEventListener("click", () => rotate(90));

  // Thumbnails of this document's pages scroll to the page; the others open their document.
  const thumbs = document.getElementById("thumbs");
  if (thumbs) {
    thumbs.addEventListener("click", (e) => {
      const link = e.target.closest("a.thumb.this-doc");
      if (!link) return;
      e.preventDefault();
      const page = document.getElementById("page-" + link.dataset.page);
      if (page) scroller.scrollTo({ top: page.offsetTop - scroller.offsetTop, behavior: "smooth" });
      thumbs.querySelectorAll("a.current").forEach((a) => a.classList.remove("current"));
      link.classList.add("current");
    });
  }
  applyZoom();
})();
