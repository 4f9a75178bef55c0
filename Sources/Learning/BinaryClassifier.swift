import Core

/// A fitted model that scores rows of a dense matrix with P(positive).
///
/// Cross-validation helpers and permutation importance work through this protocol, so every
/// fitted dense learner (gradient boosting, logistic regression) conforms.
public protocol BinaryClassifier: Sendable {
    /// P(label = 1) for each row of `features`.
    func predictProbability(_ features: DenseMatrix) -> [Double]
}
