"""WGS-84 ↔ GCJ-02: the coordinates of international formats (Open311, GPS) and of every map in
mainland China, which our territory and cases use. About 500 m apart in Beijing.

The offset is the published "standard Chinese offset" (Krasovsky 1940 ellipsoid, the
well-known polynomial in lon − 105°, lat − 35°): WGS → GCJ is closed form; GCJ → WGS has no
closed form and is solved by fixed-point iteration until a step is below 1e-9° (the forward
formula of the result then reproduces the GCJ point to better than 1e-7°). Outside mainland
China's rectangle the two systems coincide. No Qt, no database: pure arithmetic.
"""

from __future__ import annotations

import math

_A = 6378245.0                         # Krasovsky 1940 semi-major axis, metres
_EE = 0.00669342162296594323           # its first eccentricity squared
INVERSE_TOLERANCE = 1e-9               # degrees: stop iterating when a step is smaller
_MAX_ITERATIONS = 50


def out_of_china(lon: float, lat: float) -> bool:
    """True outside the rectangle where the offset applies (the points stay as they are)."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _lat_offset(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _lon_offset(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def _offset(lon: float, lat: float) -> tuple[float, float]:
    """(dlon, dlat) in degrees that GCJ-02 adds to a WGS-84 point."""
    dlat = _lat_offset(lon - 105.0, lat - 35.0)
    dlon = _lon_offset(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1.0 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return dlon, dlat


def _check(lon: float, lat: float) -> None:
    if not (math.isfinite(lon) and math.isfinite(lat)) or not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise ValueError(f"({lon}, {lat}) is not a longitude/latitude pair in degrees")


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """A WGS-84 (lon, lat) as GCJ-02 (lon, lat): closed form."""
    _check(lon, lat)
    if out_of_china(lon, lat):
        return lon, lat
    dlon, dlat = _offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """A GCJ-02 (lon, lat) as WGS-84 (lon, lat): the WGS point whose GCJ-02 is this one,
    found by iteration (each step corrects by the remaining difference) to INVERSE_TOLERANCE."""
    _check(lon, lat)
    if out_of_china(lon, lat):
        return lon, lat
    wlon, wlat = lon, lat
    for _ in range(_MAX_ITERATIONS):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        step_lon, step_lat = lon - glon, lat - glat
        wlon, wlat = wlon + step_lon, wlat + step_lat
        if abs(step_lon) < INVERSE_TOLERANCE and abs(step_lat) < INVERSE_TOLERANCE:
            break
    return wlon, wlat
