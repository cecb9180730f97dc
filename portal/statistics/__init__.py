"""Statistics of what the public can see: figures counted in SQL, drawn as SVG bar charts.

`figures` runs one grouped query per chart, through `content.queries` for visibility;
`charts` turns a chart's rows into SVG geometry and CSV; `sections` lists the sections of the
statistics page (warnings, enforcement results, and room for more). The routes are in
`portal.public.statistics`.
"""
