/*
 * The portal's maps (Leaflet, served from node_modules). Each [data-map] element is drawn from the list of
 * [data-map-point] items after it, so the list stays the page's content. When no tile loads (offline, a
 * kiosk, a blocked tile server) the map keeps its markers and the notice under it says why it is blank.
 */
(function () {
  "use strict";
  var L = window.L;
  var maps = document.querySelectorAll("[data-map]");
  if (!L || maps.length === 0) return;

  maps.forEach(function (el) {
    var block = el.closest(".map-block") || el.parentNode;
    var items = block.querySelectorAll("[data-map-point]");
    var points = [];
    items.forEach(function (li) {
      var lat = Number(li.getAttribute("data-lat"));
      var lng = Number(li.getAttribute("data-lng"));
      if (isFinite(lat) && isFinite(lng))
        points.push({
          lat: lat,
          lng: lng,
          name: li.getAttribute("data-name") || "",
          href: li.getAttribute("data-href") || "",
          n: li.getAttribute("data-n"),
        });
    });
    if (points.length === 0) return;
    el.textContent = "";
    el.classList.add("map-live");

    var map = L.map(el, { scrollWheelZoom: false, tap: true });
    var tiles = L.tileLayer(el.getAttribute("data-tiles"), {
      maxZoom: 18,
      attribution: el.getAttribute("data-attribution") || "",
    });
    var loaded = 0;
    var offline = block.querySelector(".map-offline");
    function showOffline() {
      if (loaded > 0 || !offline || !offline.hidden) return;
      offline.textContent = el.getAttribute("data-offline") || "";
      offline.hidden = false;
      el.classList.add("map-no-tiles");
    }
    tiles.on("tileload", function () {
      loaded += 1;
      if (offline) offline.hidden = true;
      el.classList.remove("map-no-tiles");
    });
    tiles.on("tileerror", showOffline);
    tiles.addTo(map);
    // A tile server that never answers gives no error: give it a few seconds.
    setTimeout(showOffline, 6000);

    var latlngs = [];
    points.forEach(function (p) {
      var link = document.createElement("a");
      link.href = p.href;
      link.textContent = p.name;
      var marker = p.n
        ? L.marker([p.lat, p.lng], {
            // A number only (digits), so nothing from the page becomes markup.
            icon: L.divIcon({
              className: "map-stop",
              html: String(parseInt(p.n, 10) || ""),
              iconSize: [28, 28],
            }),
            title: p.name,
            alt: p.name,
            keyboard: true,
          })
        : L.circleMarker([p.lat, p.lng], {
            radius: 8,
            weight: 2,
            color: "#0b4f3c",
            fillColor: "#f2c14e",
            fillOpacity: 0.95,
          });
      marker.bindPopup(link);
      marker.addTo(map);
      latlngs.push([p.lat, p.lng]);
    });
    if (el.hasAttribute("data-route") && latlngs.length > 1)
      L.polyline(latlngs, { color: "#b5703a", weight: 3, dashArray: "6 6" }).addTo(map);
    if (latlngs.length === 1) map.setView(latlngs[0], 14);
    else map.fitBounds(L.latLngBounds(latlngs).pad(0.15), { maxZoom: 15 });
  });
})();
