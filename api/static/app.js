// Progressive enhancement only: every form works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Picking a SPARQL example loads it at once instead of needing the "Load" button.
  const example = document.getElementById("example");
  if (example) example.addEventListener("change", () => example.form.submit());

  // Autocomplete: fields marked data-suggest="entities" offer the graph's labels and synonyms
  // (GET /entities?q=…, Japanese and English) in their <datalist> as the user types.
  const lang = document.documentElement.lang;
  document.querySelectorAll("input[data-suggest='entities']").forEach((input) => {
    const list = input.list;
    if (!list) return;
    let timer = null;
    let asked = "";
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const words = input.value.trim().split(/\s+/);
      const q = words[words.length - 1] || "";
      if (q.length < 2 || q === asked) return;
      timer = setTimeout(async () => {
        asked = q;
        try {
          const response = await fetch("/entities?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } });
          if (!response.ok) return;
          const { hits } = await response.json();
          const head = words.slice(0, -1).join(" ");
          list.replaceChildren(...hits.slice(0, 12).map((hit) => {
            const option = document.createElement("option");
            const name = (lang === "en" ? hit.label_en : hit.label_ja) || hit.label || hit.label_ja || hit.label_en;
            option.value = head ? head + " " + name : name;
            return option;
          }));
        } catch (err) { /* offline or busy: the field still works as plain text */ }
      }, 200);
    });
  });
});
