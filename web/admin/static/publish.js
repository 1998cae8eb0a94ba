// The publish page: while a build runs, polls /admin/publish.json and reloads the page when it ends.
{
  const notice = document.querySelector(".publish-running");
  if (notice instanceof HTMLElement && notice.dataset.running === "true") {
    const poll = () =>
      fetch("/admin/publish.json", { headers: { accept: "application/json" }, credentials: "same-origin" })
        .then((res) => (res.ok ? res.json() : Promise.reject(new Error(String(res.status)))))
        .then((status) => (status.running ? setTimeout(poll, 2000) : location.reload()))
        .catch(() => setTimeout(poll, 5000));
    setTimeout(poll, 2000);
  }
}
