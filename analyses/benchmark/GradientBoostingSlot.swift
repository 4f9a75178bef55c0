import Learning

/// GRADIENT BOOSTING SLOT — engineer wt/gbm's `GradientBoostingClassifier` is not merged into this
/// branch yet, so the benchmark reports no gradient-boosting row. Replace the body with:
///     let classifier = try GradientBoostingClassifier(parameters: GradientBoostingParameters(
///         leafCount: 31, learningRate: 0.1, roundCount: 100, maxBinCount: 255, seed: seed))
///     let (model, seconds) = try timedMedian(repeats) { try classifier.fit(features: table.features, labels: table.labels) }
///     return (model, seconds)
func fitGradientBoosting(_ table: LabelledTable, seed: UInt64) throws -> (model: any BinaryClassifier, seconds: Double)? {
    nil
}
