// FeatureEngineering: see DEVELOPERS.md.
