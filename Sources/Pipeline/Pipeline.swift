// Pipeline: see DEVELOPERS.md.
