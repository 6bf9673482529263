// The hub page's "print" button (the sheet's A4 layout is print CSS, css/mobilitaet.css).
(function () {
  "use strict";
  const button = document.getElementById("print");
  if (!button || !window.print) return;
  button.hidden = false;
  button.addEventListener("click", () => window.print());
})();
