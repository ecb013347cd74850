// Progressive enhancement only: every page works without this file.
// Directory: choosing a province refills the regency list from the options
// embedded in the page, without a reload (the form still needs "Show").
(() => {
  const data = document.getElementById("regency-options");
  const province = document.getElementById("f-province");
  const regency = document.getElementById("f-regency");
  if (!data || !province || !regency) return;
  const options = JSON.parse(data.textContent);
  const hint = document.getElementById("f-regency-hint");
  province.addEventListener("change", () => {
    const placeholder = new Option(province.value ? regency.dataset.all : regency.dataset.choose, "");
    regency.replaceChildren(placeholder);
    for (const [code, name, count] of options[province.value] || []) {
      regency.add(new Option(`${name} (${count})`, code));
    }
    if (hint) hint.hidden = Boolean(province.value);
  });
})();
