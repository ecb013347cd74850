// Console, progressive enhancement only: every page works without this file.
// Region picker: choosing a province refills the regency list from the options
// embedded in the page, instead of the "Show regencies" round trip.
(() => {
  const data = document.getElementById("region-options");
  const province = document.getElementById("id_venue_province");
  const regency = document.getElementById("id_venue_region");
  if (!data || !province || !regency) return;
  const options = JSON.parse(data.textContent);
  for (const el of document.querySelectorAll("[data-region-button], [data-region-hint]")) {
    el.hidden = true;
  }
  province.addEventListener("change", () => {
    const placeholder = new Option(province.value ? regency.dataset.choose : regency.dataset.first, "");
    regency.replaceChildren(placeholder);
    for (const [code, name] of options[province.value] || []) {
      regency.add(new Option(name, code));
    }
  });
})();
