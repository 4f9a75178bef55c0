// SyntheticData: see DEVELOPERS.md.
