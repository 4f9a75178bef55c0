// AnalysisSteps: see DEVELOPERS.md.
