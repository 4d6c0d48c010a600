"""The rules several apps share, in one place below them.

- :mod:`rules.publication`: the publication states and the ``Publishable`` base of every record
  municipalities contribute and CMM reviews (interventi, opportunità, LUM, servizi);
- :mod:`rules.geometry`: geometries become multi, which kinds a record accepts, and the
  messages of a geometry that is empty, invalid, of the wrong kind or outside the CMM;
- :mod:`rules.spatial`: the spatial facts computed in PostGIS — whether a geometry lies inside
  the CMM, the Comune(i) of a geometry, a metric area.

It stands right above the territorial base (``territorio``) and below every domain app; the
order of the apps is written once, in :data:`remix.layering.APP_LAYERS`.
"""
