/* PhốiHợp map page: provinces coloured by the chosen figure, communes and records as circles,
 * hotspots in red, and the tables of hotspots and of records that cannot be placed.
 *
 * Plain JavaScript on the local Leaflet (no build step, no tiles: the map has a plain
 * background). Every text comes from the page (#map-strings), translated by Django; numbers are
 * written the Vietnamese way (3.429; 11,09). The container gets data-ready="1" once the
 * provinces and the data are drawn, or data-ready="error" when they could not be loaded.
 */
(function () {
  "use strict";

  // ColorBrewer "YlGnBu" (5 classes), light to dark; provinces without a value are grey.
  var SCALE = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"];
  var NO_VALUE = "#d9d9d9";
  var PLACE_COLOUR = "#e6850e";
  var HOTSPOT_COLOUR = "#d62728";
  var numberFormat = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 3 });

  function fmt(value) {
    return numberFormat.format(value);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") {
        node.textContent = attrs.text;
      } else if (name === "className") {
        node.className = attrs.className;
      } else {
        node.setAttribute(name, attrs[name]);
      }
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function readStrings() {
    var holder = document.getElementById("map-strings");
    var figures = {};
    holder.querySelectorAll("[data-figure]").forEach(function (span) {
      figures[span.dataset.figure] = span.textContent;
    });
    return { text: holder.dataset, figures: figures };
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(
          function (body) {
            if (!response.ok) {
              throw new Error((body && body.message) || String(response.status));
            }
            return body;
          },
          function () {
            throw new Error(String(response.status));
          }
        );
      });
  }

  // --- choropleth -----------------------------------------------------------------------------

  /* Up to five classes holding about as many of the distinct values present each (quantiles):
   * counts are skewed, a few provinces hold most records, and classes of equal width would
   * paint nearly every province alike. Each class is labelled by the values it holds. */
  function classes(values) {
    var distinct = values
      .filter(function (v, i) { return values.indexOf(v) === i; })
      .sort(function (a, b) { return a - b; });
    if (!distinct.length) {
      return [];
    }
    var count = Math.min(SCALE.length, distinct.length);
    var result = [];
    var first = 0;
    for (var i = 1; i <= count; i++) {
      var end = Math.ceil((i * distinct.length) / count);
      result.push({ from: distinct[first], to: distinct[end - 1] });
      first = end;
    }
    // Spread the colours over the whole scale whatever the number of classes; a single class
    // takes the middle colour.
    result.forEach(function (cls, index) {
      var position = result.length === 1 ? Math.floor(SCALE.length / 2)
        : Math.round((index * (SCALE.length - 1)) / (result.length - 1));
      cls.colour = SCALE[position];
    });
    return result;
  }

  function colourOf(value, scale) {
    for (var i = 0; i < scale.length; i++) {
      if (value <= scale[i].to) {
        return scale[i].colour;
      }
    }
    return scale.length ? scale[scale.length - 1].colour : NO_VALUE;
  }

  function legendControl(scale, figureLabel, strings) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = el("div", { className: "map-legend", "data-testid": "choropleth-legend" }, [
        el("div", { className: "map-legend-title", text: figureLabel })
      ]);
      scale.forEach(function (cls) {
        var label = cls.from === cls.to ? fmt(cls.from) : fmt(cls.from) + " – " + fmt(cls.to);
        box.appendChild(el("div", { className: "map-legend-row" }, [
          el("span", { className: "map-legend-swatch", style: "background:" + cls.colour }),
          label
        ]));
      });
      box.appendChild(el("div", { className: "map-legend-row" }, [
        el("span", { className: "map-legend-swatch", style: "background:" + NO_VALUE }),
        strings.text.noValue
      ]));
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    return control;
  }

  function drawProvinces(map, collection, data, strings) {
    var choropleth = data.choropleth || {};
    // The scale spans the provinces drawn, not every value the data carries.
    var values = [];
    collection.features.forEach(function (feature) {
      var entry = choropleth[feature.properties.code];
      if (entry) {
        values.push(entry.value);
      }
    });
    var scale = classes(values);
    var layer = L.geoJSON(collection, {
      style: function (feature) {
        var entry = choropleth[feature.properties.code];
        return {
          color: "#5b6770",
          weight: 1,
          fillOpacity: 0.85,
          fillColor: entry ? colourOf(entry.value, scale) : NO_VALUE
        };
      },
      onEachFeature: function (feature, province) {
        var entry = choropleth[feature.properties.code];
        province.bindTooltip(el("div", {}, [
          el("strong", { text: feature.properties.name }),
          el("br"),
          data.figure.label + ": " + (entry ? entry.display : strings.text.noValue)
        ]), { sticky: true });
      }
    }).addTo(map);
    legendControl(scale, data.figure.label, strings).addTo(map);
    return layer;
  }

  // --- places and hotspots --------------------------------------------------------------------

  function total(counts) {
    return Object.keys(counts || {}).reduce(function (sum, key) { return sum + counts[key]; }, 0);
  }

  function countsList(counts, strings) {
    var list = el("ul", { className: "map-popup-counts" });
    Object.keys(counts || {}).forEach(function (key) {
      if (counts[key]) {
        list.appendChild(el("li", {}, [(strings.figures[key] || key) + ": " + fmt(counts[key])]));
      }
    });
    return list;
  }

  function placePopup(place, strings) {
    var box = el("div", { className: "map-popup", "data-testid": "map-popup" }, [
      el("div", { className: "fw-semibold", text: place.commune }),
      el("div", {
        className: "small text-body-secondary",
        text: place.source === "record" ? strings.text.sourceRecord : strings.text.sourceCentre
      }),
      countsList(place.counts, strings)
    ]);
    var records = el("ul", { className: "map-popup-records" });
    (place.records || []).forEach(function (record) {
      records.appendChild(el("li", {}, [
        el("a", { href: record.url, "data-testid": "map-record-link" }, [
          record.kind_label + " " + record.title
        ])
      ]));
    });
    box.appendChild(records);
    if (place.more > 0) {
      box.appendChild(el("div", {
        className: "small",
        "data-testid": "map-more",
        text: strings.text.more.replace("{n}", fmt(place.more))
      }));
    }
    return box;
  }

  function radius(count) {
    return Math.min(24, 5 + 3 * Math.sqrt(Math.max(count, 1)));
  }

  function drawPlaces(map, places, strings) {
    var drawn = 0;
    places.forEach(function (place) {
      if (typeof place.lat !== "number" || typeof place.lng !== "number") {
        return;
      }
      L.circleMarker([place.lat, place.lng], {
        radius: radius(total(place.counts)),
        color: "#5a3200",
        weight: 1,
        fillColor: PLACE_COLOUR,
        fillOpacity: 0.85,
        className: "map-place"
      }).bindPopup(placePopup(place, strings)).addTo(map);
      drawn += 1;
    });
    return drawn;
  }

  function drawHotspots(map, hotspots, strings) {
    hotspots.forEach(function (spot) {
      if (typeof spot.lat !== "number" || typeof spot.lng !== "number") {
        return;
      }
      L.circleMarker([spot.lat, spot.lng], {
        radius: radius(spot.value) + 5,
        color: HOTSPOT_COLOUR,
        weight: 3,
        fillColor: HOTSPOT_COLOUR,
        fillOpacity: 0.15,
        className: "map-hotspot"
      }).bindPopup(el("div", { className: "map-popup" }, [
        el("div", { className: "fw-semibold", text: strings.text.hotspot + ": " + spot.commune }),
        el("div", { text: strings.text.hotspotValue + ": " + fmt(spot.value) }),
        el("div", { text: strings.text.hotspotBaseline + ": " + spot.baseline })
      ])).addTo(map);
    });
  }

  // --- tables ---------------------------------------------------------------------------------

  function fillTable(testid, rows, emptyText) {
    var table = document.querySelector('[data-testid="' + testid + '"]');
    var body = table.tBodies[0];
    var columns = table.tHead.rows[0].cells.length;
    body.textContent = "";
    if (!rows.length) {
      body.appendChild(el("tr", {}, [
        el("td", { colspan: String(columns), className: "text-body-secondary", text: emptyText })
      ]));
      return;
    }
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function hotspotRows(hotspots, strings) {
    return hotspots.map(function (spot) {
      var placed = typeof spot.lat === "number" && typeof spot.lng === "number";
      return el("tr", { "data-testid": "hotspot-row", "data-commune": spot.commune_code }, [
        el("td", { text: spot.commune }),
        el("td", { className: "text-end fw-semibold", text: fmt(spot.value) }),
        el("td", { className: "text-end", text: spot.baseline }),
        el("td", { className: "small", text: placed ? strings.text.yes : strings.text.notOnMap })
      ]);
    });
  }

  function unplacedRows(unplaced, strings) {
    var keys = Object.keys(strings.figures);
    return unplaced.map(function (item) {
      var cells = [el("td", { text: item.commune })];
      keys.forEach(function (key) {
        cells.push(el("td", { className: "text-end", text: fmt((item.counts || {})[key] || 0) }));
      });
      cells.push(el("td", {}, [
        item.url ? el("a", { href: item.url, text: strings.text.openList }) : null
      ]));
      return el("tr", { "data-testid": "unplaced-row", "data-commune": item.commune_code }, cells);
    });
  }

  // --- page -----------------------------------------------------------------------------------

  function showError(container, message, strings) {
    var alert = document.querySelector('[data-testid="map-error"]');
    alert.textContent = strings.text.loadFailed + (message ? " (" + message + ")" : "");
    alert.classList.remove("d-none");
    container.dataset.ready = "error";
  }

  function start() {
    var container = document.querySelector('[data-testid="map"]');
    if (!container || typeof L === "undefined") {
      return;
    }
    var strings = readStrings();
    var map = L.map(container, { zoomSnap: 0.25, attributionControl: false });
    L.control.attribution({ prefix: "Leaflet" }).addAttribution(strings.text.attribution).addTo(map);
    map.setView([16, 106], 5);

    Promise.all([getJSON(container.dataset.provincesUrl), getJSON(container.dataset.dataUrl)])
      .then(function (loaded) {
        var collection = loaded[0];
        var data = loaded[1];
        var provinces = drawProvinces(map, collection, data, strings);
        if (provinces.getLayers().length) {
          map.fitBounds(provinces.getBounds(), { padding: [8, 8] });
        }
        // Hotspot rings go under the places, so that a place inside a ring can still be clicked.
        drawHotspots(map, data.hotspots || [], strings);
        var drawn = drawPlaces(map, data.places || [], strings);
        document.querySelector('[data-testid="map-marker-count"]').textContent = fmt(drawn);
        fillTable("hotspot-table", hotspotRows(data.hotspots || [], strings),
          strings.text.noHotspots);
        fillTable("unplaced-table", unplacedRows(data.unplaced || [], strings),
          strings.text.noUnplaced);
        container.dataset.ready = "1";
      })
      .catch(function (error) {
        showError(container, error && error.message, strings);
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
