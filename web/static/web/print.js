// The printable summary's 打印 button (no inline script: the page's CSP allows none).
(function () {
  const button = document.getElementById("print-button");
  if (button) button.addEventListener("click", () => window.print());
})();
