// One tap marks one companion without reloading the list; without this script the form posts as usual.
(function () {
  var form = document.querySelector("form[data-roll]");
  if (!form || !window.fetch || !window.FormData) return;
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || button.name !== "mark") return;
    event.preventDefault();
    var data = new FormData(form);
    data.append("mark", button.value);
    var row = button.closest("li");
    row.classList.add("is-saving");
    fetch(form.action, {method: "POST", body: data, headers: {"X-Requested-With": "fetch"}, credentials: "same-origin"})
      .then(function (response) { return response.json().then(function (body) { return [response.ok, body]; }); })
      .then(function (result) {
        row.classList.remove("is-saving");
        if (!result[0]) { window.alert(result[1].error); return; }
        row.className = row.className.replace(/\bis-\w+/g, "").trim() + " is-" + result[1].status;
        row.querySelectorAll("button[name=mark]").forEach(function (other) {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        });
      })
      .catch(function () {
        row.classList.remove("is-saving");
        var input = document.createElement("input");
        input.type = "hidden"; input.name = "mark"; input.value = button.value;
        form.appendChild(input);
        form.submit();
      });
  });
})();
