// ChartRenderer: see DEVELOPERS.md.
