"""Local metres around a reference point: what the demo's partition and the map share."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON_EQUATOR = 111_320.0


@dataclass(frozen=True)
class LocalProjection:
    """Equirectangular projection to metres around a reference point: exact enough at the
    scale of a district (a few km) and trivially invertible."""

    lon0: float
    lat0: float

    @classmethod
    def around(cls, geom: BaseGeometry) -> LocalProjection:
        c = geom.centroid
        return cls(c.x, c.y)

    @property
    def _kx(self) -> float:
        return M_PER_DEG_LON_EQUATOR * math.cos(math.radians(self.lat0))

    def to_metres(self, geom: BaseGeometry) -> BaseGeometry:
        kx = self._kx
        return shapely.transform(geom, lambda xy: np.column_stack(
            ((xy[:, 0] - self.lon0) * kx, (xy[:, 1] - self.lat0) * M_PER_DEG_LAT)))

    def to_lonlat(self, geom: BaseGeometry) -> BaseGeometry:
        kx = self._kx
        return shapely.transform(geom, lambda xy: np.column_stack(
            (xy[:, 0] / kx + self.lon0, xy[:, 1] / M_PER_DEG_LAT + self.lat0)))

    def points_to_metres(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        return np.column_stack(((np.asarray(lon, float) - self.lon0) * self._kx,
                                (np.asarray(lat, float) - self.lat0) * M_PER_DEG_LAT))

    def points_to_lonlat(self, xy: np.ndarray) -> np.ndarray:
        return np.column_stack((xy[:, 0] / self._kx + self.lon0, xy[:, 1] / M_PER_DEG_LAT + self.lat0))
