// Let readers hide a glossary definition with the Escape key (WCAG 1.4.13); CSS shows it on hover and focus.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll(".term:hover, .term:focus-within").forEach((term) => term.classList.add("dismissed"));
});
document.addEventListener("focusout", (event) => event.target.closest(".term")?.classList.remove("dismissed"));
document.addEventListener("mouseout", (event) => event.target.closest(".term")?.classList.remove("dismissed"));
