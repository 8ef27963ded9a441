"""Every definition the ``current_values`` view has had, by the schema that made it.

The view gives each field's current value: its latest claim (newest ``as_of``, then the
latest recorded, then the highest id) that is not withdrawn. Each migration creates the
definition of its schema, so a store upgrades the same way whatever comes later.
"""

CURRENT_VALUES_V1 = """
SELECT o.* FROM (
  SELECT observations.*, ROW_NUMBER() OVER (
    PARTITION BY indicator_id, field ORDER BY as_of DESC, recorded_at DESC, id DESC
  ) AS rank
  FROM observations
) AS o
WHERE o.rank = 1
"""
"""Schema 1: a window function ranks every observation (reads them all)."""

CURRENT_VALUES_V5 = """
SELECT o.* FROM (SELECT DISTINCT indicator_id, field FROM observations) AS p
JOIN observations AS o ON o.id = (
  SELECT latest.id FROM observations AS latest
  WHERE latest.indicator_id = p.indicator_id AND latest.field = p.field
  ORDER BY latest.as_of DESC, latest.recorded_at DESC, latest.id DESC LIMIT 1
)
"""
"""Schema 5: a seek per field on the history index."""

CURRENT_VALUES_WITHOUT_WITHDRAWN = """
SELECT o.* FROM (SELECT DISTINCT indicator_id, field FROM observations) AS p
JOIN observations AS o ON o.id = (
  SELECT latest.id FROM observations AS latest
  WHERE latest.indicator_id = p.indicator_id AND latest.field = p.field
    AND latest.withdrawn_at IS NULL
  ORDER BY latest.as_of DESC, latest.recorded_at DESC, latest.id DESC LIMIT 1
)
"""
"""Schema 8: a withdrawn value is never current."""

_LATEST_OF_EACH_PAIR = """FROM (SELECT DISTINCT indicator_id, field FROM observations
      WHERE withdrawn_at IS NULL) AS p
JOIN observations AS o ON o.id = (
  SELECT latest.id FROM observations AS latest
  WHERE latest.indicator_id = p.indicator_id AND latest.field = p.field
    AND latest.withdrawn_at IS NULL
  ORDER BY latest.as_of DESC, latest.recorded_at DESC, latest.id DESC LIMIT 1
)
"""
"""Each (indicator, field) with a value standing, joined to its latest claim."""

CURRENT_VALUES_V6 = "\nSELECT o.* " + _LATEST_OF_EACH_PAIR
"""Schema 9: only pairs with a value standing (a field whose values are all withdrawn has
no current value)."""

CURRENT_VALUES_V11 = """
SELECT o.id, p.indicator_id AS indicator_id, p.field AS field, o.value, o.value_num, o.as_of,
       o.recorded_at, o.origin, o.source, o.confidence, o.note, o.author, o.run_id,
       o.response_hash, o.withdrawn_at, o.withdrawn_by, o.withdrawn_note
""" + _LATEST_OF_EACH_PAIR
"""Schema 11: the indicator and field taken from the list of pairs, so a condition on them
(``WHERE indicator_id IN (...)``) is pushed into that list and seeks the history index."""
