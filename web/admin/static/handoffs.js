// The handoff pages: every 4 s, the list of open handoffs (or one handoff's transcript) is fetched again
// and redrawn, so staff see new requests and messages without reloading. Text only (textContent).
{
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const poll = (target, render) => {
    const run = () =>
      fetch(target.dataset.poll, { headers: { accept: "application/json" }, credentials: "same-origin" })
        .then((res) => (res.ok ? res.json() : Promise.reject(new Error(String(res.status)))))
        .then((data) => {
          render(data);
          setTimeout(run, 4000);
        })
        .catch(() => setTimeout(run, 10000));
    setTimeout(run, 4000);
  };

  const rows = document.getElementById("handoff-rows");
  if (rows instanceof HTMLElement && rows.dataset.poll) {
    poll(rows, (data) => {
      const items = data.open.map((h) => {
        const tr = el("tr");
        for (const value of [h.started, h.channel, h.lastUser, h.lastStaff, h.backToBot])
          tr.append(el("td", "", value));
        const td = el("td");
        const a = el("a", "", "Xem và trả lời");
        a.href = h.url;
        td.append(a);
        tr.append(td);
        return tr;
      });
      if (!items.length) {
        const tr = el("tr");
        const td = el("td", "", "Không có ai đang chờ.");
        td.colSpan = 6;
        tr.append(td);
        items.push(tr);
      }
      rows.replaceChildren(...items);
    });
  }

  const transcript = document.getElementById("transcript");
  if (transcript instanceof HTMLElement && transcript.dataset.poll) {
    poll(transcript, (data) => {
      transcript.replaceChildren(
        ...data.lines.map((l) => {
          const li = el("li", `line ${l.who}`);
          const meta = el("p", "meta");
          meta.append(
            el("strong", "", l.author + (l.staff ? ` (${l.staff})` : "")),
            document.createTextNode(" · "),
            el("span", "", l.at),
          );
          li.append(meta, el("p", "text", l.text));
          if (l.delivery) li.append(el("p", `delivery ${l.deliveryStatus}`, l.delivery));
          return li;
        }),
      );
      const status = document.getElementById("handoff-status");
      if (status) status.textContent = data.status === "open" ? "đang mở" : "đã đóng";
    });
  }
}
