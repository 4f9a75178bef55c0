// Charts: see DEVELOPERS.md.
