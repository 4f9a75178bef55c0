// Learning: see DEVELOPERS.md.
