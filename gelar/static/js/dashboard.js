// Exhibitor dashboard, progressive enhancement only: every form works without it.
// Region picker: choosing a province refills the regency list from the options
// embedded in the page (all 514), so nobody has to save to see them.
(() => {
  const data = document.getElementById("regency-options");
  if (!data) return;
  const options = JSON.parse(data.textContent);
  for (const regency of document.querySelectorAll("select[data-region-for]")) {
    const province = document.getElementById(regency.dataset.regionFor);
    if (!province) continue;
    for (const hint of document.querySelectorAll(".no-js-hint")) hint.hidden = true;
    province.addEventListener("change", () => {
      const label = province.value ? regency.dataset.choose : regency.dataset.provinceFirst;
      regency.replaceChildren(new Option(label, ""));
      for (const [code, name] of options[province.value] || []) regency.add(new Option(name, code));
    });
  }
})();
