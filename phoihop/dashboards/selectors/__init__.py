"""What the dashboard and the map show, for one user: key figures, trends, map places, hotspots.

Every number is a figure of the registry (`phoihop.core.figures`), declared by the module that
owns the records and read through its selectors, which start from the access rule — so a
commune officer's dashboard counts, places and colours only what that officer may see, the
same records the module's own lists, the report and the indicators count. This package only
chooses the figures and lays them out:

- `filters`: the user's choices (period, force, case category and domain, area) as a scope;
- `key_figures`: the key figures of the period against the same period last year, and the
  records behind each;
- `trends`: the records of three figures over the last eight periods, by force;
- `map`: the choropleth, the places by commune and the hotspots.
"""

from phoihop.dashboards.selectors.filters import (
    PERIOD_KINDS,
    TREND_PERIODS,
    Filters,
    current_period,
    figure_url,
    query_of,
    trailing,
)
from phoihop.dashboards.selectors.key_figures import (
    KEY_FIGURES,
    KeyFigure,
    KeyFigures,
    figure_records,
    key_figures,
    open_tasks,
)
from phoihop.dashboards.selectors.map import (
    MAP_FIGURES,
    PLACE_RECORDS,
    MapData,
    commune_counts,
    map_data,
)
from phoihop.dashboards.selectors.trends import Trend, trend_figure, trends

__all__ = [
    "KEY_FIGURES",
    "MAP_FIGURES",
    "PERIOD_KINDS",
    "PLACE_RECORDS",
    "TREND_PERIODS",
    "Filters",
    "KeyFigure",
    "KeyFigures",
    "MapData",
    "Trend",
    "commune_counts",
    "current_period",
    "figure_records",
    "figure_url",
    "key_figures",
    "map_data",
    "open_tasks",
    "query_of",
    "trailing",
    "trend_figure",
    "trends",
]
