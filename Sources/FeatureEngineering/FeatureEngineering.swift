import Core

// FeatureEngineering: features engineered from watch histories (see DEVELOPERS.md).
//
// - `ProfileFeatures` / `ProfileFeatureBuilder`: dense per-user features in `FeatureFamily`
//   groups (totals, genre seconds and shares, hour and day shares, time-of-day shares,
//   entropies and concentration, id number), identical for train and test.
// - `TfidfVectorizer`: bag-of-titles and all-tokens TF-IDF as CSR `SparseMatrix`.
// - `LatentTastes`: unsupervised SVD and topic-share columns fitted on train + test users.
// - `TitleTargetEncoder`: out-of-fold m-estimate title statistics for given fold assignments.
// - `MatrixArtifact`, `FeatureArtifacts`, `ClusterArtifacts`: the binary files the features and
//   clustering steps write and the models step reads.
// - `FeatureCatalog`: family sizes and sample values for the report.
