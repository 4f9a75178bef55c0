// Evaluation: see DEVELOPERS.md.
